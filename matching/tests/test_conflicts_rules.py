import numpy as np
from scipy import sparse

from matching.conflicts import (
    Coauthorship,
    ConflictPolicy,
    Employment,
    ExpertRecord,
    PairRule,
    ProposalRecord,
    check_conflicts,
)

YEAR = 2025
POLICY = ConflictPolicy(reference_year=YEAR, coauthorship_years=3, employment_years=2)

PROPOSAL = ProposalRecord(
    "P1",
    applicant_id="alice",
    institution="HKU",
    department="Physics",
    team=("bob",),
    partner_institutions=("Fudan",),
    avoid_persons=("enemy",),
    avoid_institutions=("RivalU",),
)


def codes_for(expert: ExpertRecord, policy: ConflictPolicy = POLICY) -> set[str]:
    r = check_conflicts([PROPOSAL], [expert], policy)
    return {x.code for x in r.reasons(0, 0)}


def test_clean_expert_has_no_conflict():
    e = ExpertRecord(
        "E",
        institution="CUHK",
        department="Physics",
        employment=(Employment("HKU", end_year=YEAR - 3),),
        coauthors=(Coauthorship("alice", YEAR - 4),),
    )
    r = check_conflicts([PROPOSAL], [e], POLICY)
    assert r.n_excluded == 0 and codes_for(e) == set()


def test_same_institution_including_partner_and_case_insensitive():
    assert codes_for(ExpertRecord("E", institution="hku ")) == {"SAME_INSTITUTION"}
    assert codes_for(ExpertRecord("E", institution="Fudan")) == {"SAME_INSTITUTION"}
    no_partner = ConflictPolicy(reference_year=YEAR, include_partner_institutions=False)
    assert codes_for(ExpertRecord("E", institution="Fudan"), no_partner) == set()


def test_same_department_needs_same_institution():
    assert codes_for(ExpertRecord("E", institution="HKU", department="Physics")) == {
        "SAME_INSTITUTION",
        "SAME_DEPARTMENT",
    }
    assert "SAME_DEPARTMENT" not in codes_for(
        ExpertRecord("E", institution="CUHK", department="Physics")
    )


def test_coauthorship_window():
    inside = ExpertRecord("E", coauthors=(Coauthorship("bob", YEAR - 3),))
    outside = ExpertRecord("E", coauthors=(Coauthorship("bob", YEAR - 4),))
    assert codes_for(inside) == {"COAUTHOR"} and codes_for(outside) == set()
    reason = check_conflicts([PROPOSAL], [inside], POLICY).reasons(0, 0)[0]
    assert reason.evidence["coauthors"] == ["bob"] and "bob" in reason.message


def test_team_member_and_applicant():
    assert codes_for(ExpertRecord("E", person_id="bob")) == {"TEAM_MEMBER"}
    reason = check_conflicts([PROPOSAL], [ExpertRecord("alice")], POLICY).reasons(0, 0)[0]
    assert reason.code == "TEAM_MEMBER" and "applicant" in reason.message


def test_declared_conflicts_both_directions():
    assert codes_for(ExpertRecord("enemy")) == {"DECLARED"}
    assert codes_for(ExpertRecord("E", institution="RivalU")) == {"DECLARED"}
    assert codes_for(ExpertRecord("E", declared_persons=("bob",))) == {"DECLARED"}
    assert codes_for(ExpertRecord("E", declared_institutions=("HKU",))) == {"DECLARED"}


def test_recent_employment_window():
    assert codes_for(ExpertRecord("E", employment=(Employment("HKU", end_year=YEAR - 2),))) == {
        "RECENT_EMPLOYMENT"
    }
    assert codes_for(ExpertRecord("E", employment=(Employment("HKU", end_year=YEAR - 3),))) == set()
    assert codes_for(ExpertRecord("E", employment=(Employment("PolyU", end_year=YEAR),))) == set()
    off = ConflictPolicy(reference_year=YEAR, employment_years=None)
    assert (
        codes_for(ExpertRecord("E", employment=(Employment("HKU", end_year=YEAR),)), off) == set()
    )


def test_several_reasons_and_mask_shape():
    experts = [
        ExpertRecord("clean", institution="CUHK"),
        ExpertRecord("bob", institution="HKU", coauthors=(Coauthorship("alice", YEAR),)),
    ]
    props = [PROPOSAL, ProposalRecord("P2", applicant_id="zoe", institution="CUHK")]
    r = check_conflicts(props, experts, POLICY)
    m = r.mask
    assert sparse.issparse(m) and m.shape == (2, 2) and m.dtype == bool
    np.testing.assert_array_equal(m.toarray(), [[False, True], [True, False]])
    assert {x.code for x in r.reasons_by_id("P1", "bob")} == {
        "TEAM_MEMBER",
        "SAME_INSTITUTION",
        "COAUTHOR",
    }
    pairs = list(r.excluded_pairs())
    assert [(p, e) for p, e, _ in pairs] == [("P1", "bob"), ("P2", "clean")]
    assert all(reason.message for _, _, reasons in pairs for reason in reasons)


def test_evidence_carries_what_a_reason_is_worded_from():
    """A reason's evidence holds every value its sentence uses, so a caller can word it in another
    language without parsing the English."""

    def reason(expert):
        return check_conflicts([PROPOSAL], [expert], POLICY).reasons(0, 0)

    assert reason(ExpertRecord("E", institution="HKU"))[0].evidence == {
        "institution": "HKU",
        "role": "applicant",
    }
    assert reason(ExpertRecord("E", institution="Fudan"))[0].evidence["role"] == "partner"
    assert reason(ExpertRecord("alice"))[0].evidence["role"] == "applicant"
    assert reason(ExpertRecord("bob"))[0].evidence["role"] == "team"
    employed = reason(ExpertRecord("E", employment=(Employment("HKU", end_year=YEAR - 1),)))[0]
    assert employed.evidence == {
        "institution": "HKU",
        "end_year": YEAR - 1,
        "window_years": 2,
        "reference_year": YEAR,
    }
    coauthor = reason(
        ExpertRecord("E", coauthors=(Coauthorship("bob", YEAR - 2), Coauthorship("alice", YEAR)))
    )[0]
    assert coauthor.evidence["last_coauthor"] == "alice"
    assert coauthor.evidence["last_year"] == YEAR and coauthor.evidence["reference_year"] == YEAR


def test_extra_rule_may_return_a_whole_reason():
    from matching.conflicts import ConflictReason

    def same_email(p, e):
        if e.department == "mail":
            return ConflictReason("TEAM_MEMBER", "Same e-mail.", {"same_person": "bob@x"})
        return None

    policy = ConflictPolicy(reference_year=YEAR, extra_rules=(PairRule("TEAM_MEMBER", same_email),))
    r = check_conflicts([PROPOSAL], [ExpertRecord("a", department="mail")], policy)
    assert r.reasons(0, 0)[0].evidence == {"same_person": "bob@x"}


def test_scheme_specific_extra_rule_hook():
    def same_region(p, e):
        return "Expert and applicant share a region quota." if e.department == "quota" else None

    policy = ConflictPolicy(reference_year=YEAR, extra_rules=(PairRule("REGION", same_region),))
    experts = [ExpertRecord("a", department="quota"), ExpertRecord("b")]
    r = check_conflicts([PROPOSAL], experts, policy)
    assert r.mask.toarray().tolist() == [[True, False]]
    assert r.reasons(0, 0)[0].code == "REGION"
    # limited to candidate pairs
    r2 = check_conflicts([PROPOSAL], experts, policy, candidates=sparse.csr_matrix([[0, 1]]))
    assert r2.n_excluded == 0


def test_vectorised_mask_matches_pairwise_explanations():
    rng = np.random.default_rng(0)
    insts = [f"I{i}" for i in range(6)]
    props = [
        ProposalRecord(
            f"p{i}",
            applicant_id=f"x{i}",
            institution=str(rng.choice(insts)),
            department="d",
            team=(f"x{rng.integers(30)}",),
        )
        for i in range(25)
    ]
    experts = [
        ExpertRecord(
            f"e{j}",
            institution=str(rng.choice(insts)),
            department=str(rng.choice(["d", "z"])),
            person_id=f"x{j}",
            coauthors=(Coauthorship(f"x{rng.integers(30)}", int(rng.integers(2018, 2026))),),
        )
        for j in range(30)
    ]
    r = check_conflicts(props, experts, POLICY)
    dense = r.dense_mask()
    for i in range(len(props)):
        for j in range(len(experts)):
            explained = [rule.explain(props[i], experts[j], YEAR) for rule in r.rules.values()]
            assert dense[i, j] == any(x is not None for x in explained)
