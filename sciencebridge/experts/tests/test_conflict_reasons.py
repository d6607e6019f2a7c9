"""Conflict reasons kept as a kind and its values, worded in the reader's language when shown."""

import pytest
from django.utils import translation

from matching.conflicts import (
    Coauthorship,
    ConflictPolicy,
    Employment,
    ExpertRecord,
    ProposalRecord,
    check_conflicts,
)
from sciencebridge.experts.conflict_reasons import (
    LABELS,
    SENTENCES,
    Reason,
    from_engine,
    worded,
    worded_each,
    worded_notes,
)

SAMPLE = {
    "institution": "hku",
    "department": "Physics",
    "until": 2025,
    "years": 1,
    "year": 2026,
    "person": "Chan Tai Man",
    "last_year": 2024,
    "similarity": 0.8123,
}


def _sample(kind: str) -> Reason:
    placeholders = {name for name in SAMPLE if f"%({name})" in SENTENCES[kind][1]}
    return Reason.of(kind, **{name: SAMPLE[name] for name in placeholders})


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hant", "zh-hans"])
def test_every_kind_and_label_is_translated(institutions, language):
    reasons = [_sample(kind) for kind in SENTENCES]
    with translation.override("en"):
        english = worded(reasons)
        english_labels = [r.label for r in reasons]
    with translation.override(language):
        chinese = worded(reasons)
        labels = {code: Reason.of(kind).label for kind, (code, _) in SENTENCES.items()}
    assert all(a != b for a, b in zip(english, chinese, strict=True))
    assert set(labels) == set(LABELS) and all(
        label not in english_labels for label in labels.values()
    )
    assert not any("Expert" in text or "applicant" in text for text in chinese)


@pytest.mark.django_db
def test_institutions_are_named_in_the_language_of_the_page(
    institutions, django_assert_num_queries
):
    hku = institutions["hku"]
    type(hku).objects.filter(pk=hku.pk).update(name_zh_hant="香港大學", name_zh_hans="香港大学")
    reasons = [
        Reason.of("same_institution", institution="HKU "),  # as the engine compares: case, spaces
        Reason.of("declared_institution", institution="cuhk"),
        Reason.of("partner_institution", institution="gone"),
    ]
    with translation.override("en"), django_assert_num_queries(1):
        assert worded(reasons) == [
            "Expert works at HKU, the applicant's institution.",
            "Expert declared a conflict with CUHK.",
            "Expert works at gone, the partner applicant's institution.",  # no such institution
        ]
    with translation.override("zh-hant"):
        assert worded(reasons[:1]) == ["專家任職於申請人的機構香港大學。"]
    with translation.override("zh-hans"):
        assert str(reasons[0]) == "专家任职于申请人的机构香港大学。"


def test_engine_reasons_become_kinds_with_their_values():
    proposal = ProposalRecord(
        "P",
        applicant_id="alice",
        institution="hku",
        department="physics",
        team=("bob",),
        partner_institutions=("fudan",),
        avoid_persons=("enemy",),
        avoid_institutions=("rival",),
    )
    policy = ConflictPolicy(reference_year=2026, coauthorship_years=4, employment_years=1)

    def kinds(expert, names=None):
        reasons = check_conflicts([proposal], [expert], policy).reasons(0, 0)
        return {from_engine(r, names) for r in reasons}

    assert kinds(ExpertRecord("E", institution="hku", department="physics")) == {
        Reason.of("same_institution", institution="hku"),
        Reason.of("same_department", institution="hku", department="physics"),
    }
    assert kinds(ExpertRecord("E", institution="fudan")) == {
        Reason.of("partner_institution", institution="fudan")
    }
    assert kinds(ExpertRecord("alice")) == {Reason.of("is_applicant")}
    assert kinds(ExpertRecord("bob")) == {Reason.of("is_team_member")}
    assert kinds(ExpertRecord("E", employment=(Employment("hku", end_year=2025),))) == {
        Reason.of("employed_until", institution="hku", until=2025, years=1, year=2026)
    }
    assert kinds(ExpertRecord("E", employment=(Employment("hku"),))) == {
        Reason.of("employed_now", institution="hku")
    }
    assert kinds(ExpertRecord("E", coauthors=(Coauthorship("bob", 2024),)), {"bob": "Bob Lee"}) == {
        Reason.of("coauthor", person="Bob Lee", last_year=2024, years=4, year=2026)
    }
    assert kinds(ExpertRecord("enemy")) == {Reason.of("avoid_requested")}
    assert kinds(ExpertRecord("E", institution="rival")) == {
        Reason.of("avoid_institution_requested", institution="rival")
    }
    assert kinds(ExpertRecord("E", declared_persons=("bob",))) == {
        Reason.of("declared_person", person="bob")
    }
    assert kinds(ExpertRecord("E", declared_institutions=("hku",))) == {
        Reason.of("declared_institution", institution="hku")
    }


def test_a_schemes_own_rule_keeps_its_words():
    from matching.conflicts import ConflictReason

    reason = from_engine(ConflictReason("REGION", "Same region quota.", {}))
    assert reason.code == "REGION" and reason.label == "REGION"
    assert worded([reason]) == ["Same region quota."]


@pytest.mark.django_db
def test_notes_round_trip_and_older_text_is_shown_as_written(institutions):
    reason = Reason.of("own_application", similarity=0.8123)
    assert Reason.from_json(reason.as_json()) == reason
    notes = {
        "h1": {
            "candidates": 3,
            "excluded": [{"expert": "A", "reasons": [reason.as_json(), "Old words."]}],
        },
        "h2": {"candidates": 4, "excluded": []},
    }
    with translation.override("en"):
        shown = worded_notes(notes)
    assert shown == {
        "h1": {
            "candidates": 3,
            "excluded": [
                {
                    "expert": "A",
                    "reasons": [
                        "The expert's own application in the same exercise is close to this "
                        "one (similarity 0.81).",
                        "Old words.",
                    ],
                }
            ],
        },
        "h2": {"candidates": 4, "excluded": []},
    }


@pytest.mark.django_db
def test_several_lists_are_worded_with_one_query_each_in_its_own_list(
    institutions, django_assert_num_queries
):
    first = [Reason.of("same_institution", institution="hku"), "Old words."]
    second = [Reason.of("declared_institution", institution="cuhk")]
    with translation.override("en"), django_assert_num_queries(1):
        assert worded_each([first, [], second]) == [
            ["Expert works at HKU, the applicant's institution.", "Old words."],
            [],
            ["Expert declared a conflict with CUHK."],
        ]
    assert worded_each([]) == []
