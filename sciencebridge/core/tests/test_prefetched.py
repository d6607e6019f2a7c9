"""``core.prefetched.related_rows``: the prefetched rows without a query, else the manager's rows."""

import pytest

from sciencebridge.core.prefetched import is_prefetched, related_rows
from sciencebridge.funding.models import JointProposal

pytestmark = pytest.mark.django_db


def test_prefetched_rows_cost_no_query_and_equal_the_managers(
    world, make_ready_pair, django_assert_num_queries
):
    make_ready_pair()
    plain = JointProposal.objects.get()
    expected = list(plain.halves.all())
    assert len(expected) == 2 and not is_prefetched(plain, "halves")
    with django_assert_num_queries(1):
        assert related_rows(plain, "halves") == expected
    prefetched = JointProposal.objects.prefetch_related("halves__team").get()
    assert is_prefetched(prefetched, "halves")
    with django_assert_num_queries(0):
        halves = related_rows(prefetched, "halves")
        teams = [related_rows(h, "team") for h in halves]
    assert halves == expected
    assert teams == [list(h.team.all()) for h in expected]


def test_rows_prefetch_keeps_plain_lists_that_related_rows_reads(
    world, make_ready_pair, django_assert_num_queries
):
    from django.db.models.query import QuerySet

    from sciencebridge.core.prefetched import rows_prefetch

    make_ready_pair()
    expected = list(JointProposal.objects.get().halves.all())
    with django_assert_num_queries(3):  # proposals, halves, team members: nothing per row
        proposal = JointProposal.objects.prefetch_related(
            rows_prefetch("halves"), rows_prefetch("rows_halves__team")
        ).get()
    assert type(proposal.rows_halves) is list and is_prefetched(proposal, "halves")
    # no queryset was built per instance to hold the rows (what a plain prefetch does)
    assert not any(
        isinstance(v, QuerySet)
        for obj in (proposal, *proposal.rows_halves)
        for v in getattr(obj, "_prefetched_objects_cache", {}).values()
    )
    with django_assert_num_queries(0):
        halves = related_rows(proposal, "halves")
        teams = [related_rows(h, "team") for h in halves]
        assert all(h.proposal is proposal for h in halves)  # the reverse relation is set
    assert halves == expected
    assert teams == [list(h.team.all()) for h in expected] and any(teams)


@pytest.mark.parametrize("compiled", [False, True], ids=["queryset", "compiled once"])
def test_attach_rows_gives_each_instance_its_rows_in_one_query(
    world, make_ready_pair, django_assert_num_queries, compiled
):
    from sciencebridge.core.precompiled import RowsByIds
    from sciencebridge.core.prefetched import attach_rows
    from sciencebridge.funding.models import ProposalHalf, TeamMember

    members = RowsByIds("half", TeamMember.objects.all) if compiled else TeamMember.objects.all()

    make_ready_pair()
    halves = list(ProposalHalf.objects.order_by("side"))
    expected = [list(h.team.all()) for h in halves]
    assert any(expected)
    bare = ProposalHalf.objects.exclude(team__isnull=False).first()
    fresh = list(ProposalHalf.objects.order_by("side"))
    with django_assert_num_queries(1):
        attach_rows(fresh, members, "half")
    with django_assert_num_queries(0):
        assert is_prefetched(fresh[0], "team")
        teams = [related_rows(h, "team") for h in fresh]
        # each row knows its half without a query, as after a prefetch
        assert all(m.half is h for h, rows in zip(fresh, teams, strict=True) for m in rows)
    assert teams == expected  # same rows, same order (the model's ordering)
    if bare is not None:  # a half with no member gets an empty list, not a query later
        assert related_rows(next(h for h in fresh if h.pk == bare.pk), "team") == []
    with django_assert_num_queries(0):
        attach_rows([], members, "half")
    if compiled:  # rows by another key than the one asked for are refused
        with pytest.raises(ValueError, match="rows by half where institution was asked"):
            attach_rows([world.hku], members, "institution")


@pytest.mark.parametrize("compiled", [False, True], ids=["queryset", "compiled once"])
def test_attach_one_caches_each_instances_related_row(
    world, make_ready_pair, django_assert_num_queries, compiled
):
    from sciencebridge.accounts.models import User
    from sciencebridge.core.precompiled import RowsByIds
    from sciencebridge.core.prefetched import attach_one
    from sciencebridge.funding.models import ProposalHalf

    make_ready_pair()
    halves = list(ProposalHalf.objects.order_by("side"))
    expected = [h.lead for h in halves]
    assert all(expected)
    fresh = list(ProposalHalf.objects.order_by("side"))
    fresh[1].lead_id = None  # a half without a lead yet
    with django_assert_num_queries(1):
        names = lambda: User.objects.only("username", "first_name", "last_name")  # noqa: E731
        attach_one(fresh, "lead", queryset=RowsByIds("pk", names) if compiled else names())
    with django_assert_num_queries(0):
        assert fresh[0].lead == expected[0] and fresh[0].lead.get_full_name()
        assert fresh[1].lead is None
    with django_assert_num_queries(0):
        attach_one([], "lead")


def test_attach_one_reads_several_keys_to_one_model_in_one_query(
    world, make_ready_pair, django_assert_num_queries
):
    from sciencebridge.core.prefetched import attach_one
    from sciencebridge.funding.models import ProposalHalf

    make_ready_pair()
    expected = [(h.institution, h.agency) for h in ProposalHalf.objects.order_by("side")]
    fresh = list(ProposalHalf.objects.order_by("side"))
    with django_assert_num_queries(1):
        attach_one(fresh, "institution", "agency")
    with django_assert_num_queries(0):
        assert [(h.institution, h.agency) for h in fresh] == expected
    with pytest.raises(ValueError, match="one model"):
        attach_one(fresh, "institution", "lead")


def test_attach_one_reads_only_the_rows_missing_from_those_known(
    world, make_ready_pair, django_assert_num_queries
):
    from sciencebridge.core.prefetched import attach_one
    from sciencebridge.funding.models import ProposalHalf

    make_ready_pair()
    expected = [(h.institution, h.agency) for h in ProposalHalf.objects.order_by("side")]
    all_known = {i.pk: i for pair in expected for i in pair}
    fresh = list(ProposalHalf.objects.order_by("side"))
    with django_assert_num_queries(0):
        attach_one(fresh, "institution", "agency", known=all_known)
    assert [(h.institution, h.agency) for h in fresh] == expected
    assert fresh[0].institution is all_known[fresh[0].institution_id]  # the known row itself
    some = {pk: row for pk, row in all_known.items() if pk == fresh[0].institution_id}
    fresh = list(ProposalHalf.objects.order_by("side"))
    with django_assert_num_queries(1) as ctx:
        attach_one(fresh, "institution", "agency", known=some)
    assert str(fresh[0].institution_id) not in ctx.captured_queries[0]["sql"].split("WHERE")[1]
    with django_assert_num_queries(0):
        assert [(h.institution, h.agency) for h in fresh] == expected


def test_attach_many_gives_what_a_prefetch_gives_in_one_query(
    world, make_ready_pair, django_assert_num_queries
):
    from sciencebridge.classification.models import ClassificationScheme, DisciplineCode
    from sciencebridge.core.precompiled import RowsByIds
    from sciencebridge.core.prefetched import attach_many, rows_prefetch
    from sciencebridge.funding.models import ProposalHalf

    make_ready_pair()
    nsfc = ClassificationScheme.objects.create(code="nsfc", name="NSFC")
    acm = ClassificationScheme.objects.create(code="acm", name="ACM")
    codes = [
        DisciplineCode.objects.create(scheme=scheme, code=code, name=code)
        for scheme, code in ((nsfc, "F02"), (acm, "C3"), (nsfc, "E01"), (acm, "A1"))
    ]
    hk, ml = ProposalHalf.objects.order_by("side")
    hk.discipline_codes.set(codes)  # added out of their order
    ml.discipline_codes.set(codes[1:2])
    expected = [
        h.rows_discipline_codes
        for h in ProposalHalf.objects.order_by("side").prefetch_related(
            rows_prefetch("discipline_codes")
        )
    ]
    assert [c.code for c in expected[0]] != [c.code for c in codes]  # the prefetch reorders them
    links = RowsByIds(
        "proposalhalf",
        lambda: ProposalHalf.discipline_codes.through.objects.select_related(
            "disciplinecode"
        ).order_by(*(f"disciplinecode__{name}" for name in DisciplineCode._meta.ordering)),
    )
    third = ProposalHalf(pk=max(hk.pk, ml.pk) + 1)  # a half with no code gets an empty list
    fresh = [*ProposalHalf.objects.order_by("side"), third]
    with django_assert_num_queries(1):
        attach_many(fresh, "discipline_codes", links)
    with django_assert_num_queries(0):
        got = [related_rows(h, "discipline_codes") for h in fresh]
    assert got == [*expected, []]
    with django_assert_num_queries(0):
        attach_many([], "discipline_codes", links)


def test_prefetch_rows_leaves_what_prefetch_related_leaves(
    world, make_ready_pair, django_assert_num_queries
):
    from sciencebridge.core.precompiled import RowsByIds
    from sciencebridge.core.prefetched import prefetch_rows
    from sciencebridge.funding.models import ProposalHalf

    make_ready_pair()
    make_ready_pair(title="A second pair")
    expected = {
        p.pk: list(p.halves.all()) for p in JointProposal.objects.prefetch_related("halves")
    }
    proposals = list(JointProposal.objects.all())
    proposals.append(JointProposal(pk=-5))  # no rows: an empty relation, still no query
    with django_assert_num_queries(1):
        prefetch_rows(proposals, RowsByIds("proposal", lambda: ProposalHalf.objects.all()))
    with django_assert_num_queries(0):
        got = {p.pk: list(p.halves.all()) for p in proposals}
        owners = {h.proposal is p for p in proposals for h in p.halves.all()}
        assert all(is_prefetched(p, "halves") for p in proposals)
    assert got == {**expected, -5: []}
    assert owners == {True}
    with django_assert_num_queries(1):  # a filter on it is still this proposal's halves
        assert list(proposals[0].halves.filter(side="ML")) == [expected[proposals[0].pk][1]]
