"""seed_reference is idempotent and complete; seed_demo builds proposals in every state via the services."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from sciencebridge.classification.models import ClassificationScheme, DisciplineCode
from sciencebridge.core.models import StateTransition
from sciencebridge.funding.models import (
    AssessmentCriterion,
    Call,
    HalfState,
    JointProposal,
    ProjectType,
    ProposalHalf,
    RequiredAttachment,
    Scheme,
    SchemeSide,
    ThematicArea,
)
from sciencebridge.institutions.models import Institution
from sciencebridge.projects.models import Project
from sciencebridge.review.models import AssignmentRun

pytestmark = pytest.mark.django_db

REFERENCE_MODELS = [
    Institution,
    ClassificationScheme,
    DisciplineCode,
    Scheme,
    SchemeSide,
    ProjectType,
    ThematicArea,
    AssessmentCriterion,
    RequiredAttachment,
]


def counts():
    return {m.__name__: m.objects.count() for m in REFERENCE_MODELS}


def test_seed_reference_is_idempotent():
    call_command("seed_reference", stdout=StringIO())
    first = counts()
    assert all(first.values()), first
    call_command("seed_reference", stdout=StringIO())
    assert counts() == first


def test_reseeding_keeps_configured_rule_values_unless_forced():
    call_command("seed_reference", stdout=StringIO())
    crit = AssessmentCriterion.objects.filter(scheme__code="mhkjfs").first()
    crit.weight = 3
    crit.save()
    call_command("seed_reference", stdout=StringIO())
    crit.refresh_from_db()
    assert crit.weight == 3
    call_command("seed_reference", "--force", stdout=StringIO())
    crit.refresh_from_db()
    assert crit.weight == 1


def test_ugc_universities_and_agencies_have_chinese_names():
    call_command("seed_reference", stdout=StringIO())
    ugc = Institution.objects.filter(category="ugc_university")
    assert set(ugc.values_list("code", flat=True)) == {
        "cityu",
        "hkbu",
        "lingnan",
        "cuhk",
        "eduhk",
        "polyu",
        "hkust",
        "hku",
    }
    assert all(
        u.name_zh_hant and u.name_zh_hans and u.email_domain and u.region == "HK" for u in ugc
    )
    assert Institution.objects.get(code="hku").name_zh_hant == "香港大學"
    expected = {
        "itc": ("HK", "HKD"),
        "rgc": ("HK", "HKD"),
        "most": ("ML", "CNY"),
        "nsfc": ("ML", "CNY"),
    }
    for code, (region, currency) in expected.items():
        agency = Institution.objects.get(code=code)
        assert (agency.type, agency.region, agency.currency) == ("agency", region, currency)
        assert agency.name_zh_hant and agency.name_zh_hans
    assert Institution.objects.filter(category="rnd_centre").count() == 5


def test_scheme_rules_are_data_and_unknowns_stay_configurable():
    call_command("seed_reference", stdout=StringIO())
    jfs = Scheme.objects.get(code="mhkjfs")
    assert jfs.max_duration_months == 24
    assert jfs.side("HK").funding_ceiling is None and jfs.side("ML").funding_ceiling is None  # [U]
    assert jfs.side("HK").requires_endorsement
    assert {c.weight for c in jfs.criteria.all()} == {1} and jfs.criteria.count() == 8
    assert {p.code: int(p.min_industry_share) for p in jfs.project_types.all()} == {
        "platform": 10,
        "collaborative": 50,
    }
    jrs = Scheme.objects.get(code="nsfc-rgc-jrs")
    assert (jrs.exercise_group, jrs.max_roles_per_exercise, jrs.max_duration_months) == (
        "nsfc-rgc",
        1,
        48,
    )
    assert jrs.side("HK").funding_ceiling == 1250000 and jrs.side("ML").funding_ceiling == 1000000
    assert jrs.side("HK").eligible_lead_categories == ["ugc_university"]
    assert Scheme.objects.get(code="nsfc-rgc-yrs").side("HK").funding_ceiling == 800000
    assert Scheme.objects.get(code="nsfc-rgc-crs").side("ML").funding_ceiling == 3000000
    nsfc = DisciplineCode.objects.filter(scheme__code="nsfc")
    assert set(nsfc.filter(level=1).values_list("code", flat=True)) == set("ABCDEFGH")
    assert nsfc.get(code="F06").parent.code == "F"
    assert DisciplineCode.objects.filter(scheme__code="gbt13745").count() == 62


def test_seed_demo_builds_every_state_with_timelines(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.SITE_URL = "http://127.0.0.1:8123"
    out = StringIO()
    # enough past proposals for the panel to fund some jointly, so projects exist (+15 s)
    call_command("seed_demo", "--reset", "--proposals", "24", "--past-proposals", "30", stdout=out)
    printed = out.getvalue()
    # The login table names every role's account, at the address the platform is served on.
    assert "Open http://127.0.0.1:8123/ and sign in" in printed and ":8000" not in printed
    table = printed.split("sign in with one of these")[1]
    for username in (
        "hk.applicant",
        "ml.applicant",
        "hk.office",
        "ml.office",
        "itc.officer",
        "most.officer",
        "expert",
        "panel.chair",
        "secretariat",
        "admin",
        "tto.hkust",
        "tto.tsinghua",
        "ent.clp",
        "ent.byd",
        "ml.facility",
        "hk.facility",
    ):
        assert f"\n  {username} " in table, username
    assert "Technology-transfer office" in table and "Facility manager" in table
    # The projects line counts the projects there are (the funding decisions start them).
    projects = Project.objects.filter(
        proposal__call__code__in=["mhkjfs-2025", "mhkjfs-2026", "jrs-2026"]
    )
    assert projects.exists()
    assert f"  {projects.count()} projects from jointly funded proposals" in printed
    # ...and each started in the past with its first year behind it (payments, outcomes).
    for project in projects:
        assert project.start_date < timezone.localdate() and project.outcomes.exists(), project
    # Review runs only on calls that have closed; a call still open has none.
    now = timezone.now()
    assert AssignmentRun.objects.exists()
    assert not AssignmentRun.objects.filter(call__closes_at__gt=now).exists()
    assert Call.objects.filter(closes_at__gt=now, code__in=["mhkjfs-2026", "jrs-2026"]).exists()
    for run in AssignmentRun.objects.select_related("call"):
        assert run.created_at > run.call.closes_at, run
    # No placeholder text in the reference data the demo shows (criteria in three languages).
    for crit in AssessmentCriterion.objects.all():
        for name in (crit.name_en, crit.name_zh_hant, crit.name_zh_hans):
            assert (
                name
                and "placeholder" not in name.lower()
                and "預設" not in name
                and "预设" not in name
            )
    assert set(Call.objects.values_list("code", flat=True)) >= {
        "mhkjfs-2026",
        "jrs-2026",
        "mhkjfs-2025",
    }
    assert JointProposal.objects.filter(call__code="mhkjfs-2026").count() == 24
    states = set(ProposalHalf.objects.values_list("state", flat=True))
    assert states >= {
        HalfState.DRAFT,
        HalfState.SUBMITTED,
        HalfState.RETURNED,
        HalfState.ENDORSED,
        HalfState.ELIGIBLE,
        HalfState.INELIGIBLE,
        HalfState.WITHDRAWN,
        HalfState.LAPSED,
    }
    ct = ContentType.objects.get_for_model(ProposalHalf)
    for half in ProposalHalf.objects.all():
        steps = list(
            StateTransition.objects.filter(content_type=ct, object_id=half.pk).order_by("at", "id")
        )
        assert steps, half
        assert steps[-1].to_state == half.state
        if half.submitted_at:
            assert any(s.to_state == HalfState.SUBMITTED for s in steps)
    screened = ProposalHalf.objects.filter(state=HalfState.INELIGIBLE).exclude(screening_reason="")
    assert screened.exists()
    # The open calls' proposals were made while the calls were open.
    jfs = Call.objects.get(code="mhkjfs-2026")
    assert not JointProposal.objects.filter(call=jfs, created_at__lt=jfs.opens_at).exists()
    assert authenticate(username="hk.applicant", password="demo12345") is not None
    assert authenticate(username="admin", password="demo12345").is_superuser

    _dashboard_probes_hide_no_panel()

    # Without --reset a second run leaves the demo alone.
    before = JointProposal.objects.count()
    call_command("seed_demo", "--proposals", "24", stdout=StringIO())
    assert JointProposal.objects.count() == before


def test_site_url_follows_the_port_the_demo_serves_on():
    """E-mailed links use SITE_URL; unset, it is the local address on $PORT (scripts/demo serves there)."""
    import os
    import subprocess
    import sys

    code = "import sciencebridge.settings as s; print(s.SITE_URL)"
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PORT")}
    for extra, expected in (
        ({"PORT": "8123"}, "http://127.0.0.1:8123"),
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "8123", "SITE_URL": "https://sb.example.org"}, "https://sb.example.org"),
    ):
        out = subprocess.run(
            [sys.executable, "-c", code],
            env={**env, **extra},
            capture_output=True,
            text=True,
            check=True,
        )
        assert out.stdout.strip() == expected, (extra, out.stdout, out.stderr)


def _dashboard_probes_hide_no_panel():
    """On the demo, where every role has rows: each dashboard probe (``core.probes``) is a necessary
    condition for its panel. Every account's panels and navigation are the same with the dashboard's
    probes answered as without them; each probe finds a row for some account and none for another (so both
    branches are compared)."""
    from django.db.models import QuerySet
    from django.test import RequestFactory
    from django.utils.functional import Promise

    from sciencebridge.accounts.models import User
    from sciencebridge.core.context_processors import nav_modules
    from sciencebridge.core.plugins import app_modules
    from sciencebridge.core.probes import probe_dashboard

    def plain(value):
        if isinstance(value, QuerySet | list | tuple):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return str(value) if isinstance(value, Promise) else value

    modules = app_modules("dashboard")
    answers: dict[str, set[bool]] = {}
    for user in User.objects.filter(is_active=True).order_by("pk"):
        full, probed = RequestFactory().get("/dashboard/"), RequestFactory().get("/dashboard/")
        full.user, probed.user = user, User.objects.get(pk=user.pk)
        probe_dashboard(probed, modules)
        for name, found in probed.probes.items():
            answers.setdefault(name, set()).add(bool(found))  # a Counted one: a number
        for module in modules:
            assert plain(module.panels(probed)) == plain(module.panels(full)), (
                user.username,
                module.__name__,
            )
        for module in nav_modules():  # the navigation's probes are its exact conditions
            assert plain(module.items(probed)) == plain(module.items(full)), (
                user.username,
                module.__name__,
            )
    assert answers and all(found == {True, False} for found in answers.values()), answers
