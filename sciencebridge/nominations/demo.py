"""Demo data for nominations to the national expert databases (called by ``manage.py seed_demo``).

One exercise (ITC checks, MOST approves; the six nominating universities are configurable data, the public
record does not name the 2011 pilot's six) with nominations by the HKUST research office (``hk.office``) in
every state, one batch upload with refused rows, and a nomination of the demo ``expert`` (CUHK) waiting for
their consent. Built through the services; idempotent.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sciencebridge.accounts.models import verified_affiliation
from sciencebridge.experts.models import ExpertProfile
from sciencebridge.institutions.models import Institution

from .models import Nomination, NominationExercise
from .services import batch as batch_svc
from .services import nominations as svc

CODE = "expert-db-demo"
PILOT = ["hku", "cuhk", "hkust", "polyu", "cityu", "hkbu"]
# (database, society, scenario)
SCENARIOS = [
    ("programmes", "", "draft"),
    ("programmes", "", "declined"),
    ("programmes", "", "submitted"),
    ("programmes", "", "forwarded"),
    ("programmes", "", "not_forwarded"),
    ("programmes", "", "approved"),
    ("awards", "", "approved"),
    ("cast", "Chinese Society of Biotechnology", "approved"),
    ("awards", "", "rejected"),
    ("programmes", "", "withdrawn"),
]


def _office(inst):
    User = get_user_model()
    office = (
        User.objects.filter(institution=inst, groups__name="research_office").order_by("pk").first()
    )
    if office is None:
        office = User.objects.create(
            username=f"demo.office.{inst.code}",
            email=f"demo.office.{inst.code}@example.org",
            first_name="Research",
            last_name="Office",
            **verified_affiliation(inst),
        )
        office.set_password("demo12345")
        office.save()
        office.grant_role("research_office")
    return office


def seed(command, rng):
    User = get_user_model()
    insts = {i.code: i for i in Institution.objects.filter(code__in=[*PILOT, "itc", "most"])}
    itc_officer = User.objects.filter(username="itc.officer").first()
    most_officer = User.objects.filter(username="most.officer").first()
    if "itc" not in insts or "most" not in insts or not itc_officer or not most_officer:
        command.stdout.write("  nominations: no ITC/MOST officers; skipped")
        return
    if NominationExercise.objects.filter(code=CODE).exists():
        command.stdout.write("  nominations: demo exercise already there")
        return
    today = timezone.localdate()
    exercise = NominationExercise.objects.create(
        code=CODE,
        name="Nominations to the national expert databases (demo)",
        name_en="Nominations to the national expert databases (demo)",
        name_zh_hant="國家專家庫推薦（示範）",
        name_zh_hans="国家专家库推荐（示范）",
        year=today.year,
        opens_on=today - dt.timedelta(days=60),
        closes_on=today + dt.timedelta(days=60),
        checking_agency=insts["itc"],
        approving_agency=insts["most"],
        source_url="https://www.cedb.gov.hk/ccib/eng/press/2011/pr30082011.htm",
    )
    exercise.nominating_institutions.set([insts[c] for c in PILOT if c in insts])
    hkust = insts.get("hkust")
    made = 0
    if hkust is not None:
        office = _office(hkust)
        experts = list(
            ExpertProfile.objects.filter(institution=hkust, user__isnull=False)
            .select_related("user")
            .order_by("id")[: len(SCENARIOS) + 4]
        )
        for expert, (database, society, scenario) in zip(experts, SCENARIOS, strict=False):
            nom = svc.nominate(
                office,
                exercise,
                email=expert.email,
                database=database,
                society=society,
                statement="Leading researcher; reviews for national programmes.",
            )
            made += 1
            if scenario == "draft":
                continue
            svc.set_consent(expert.user, nom, given=scenario != "declined")
            if scenario == "declined":
                continue
            if scenario == "withdrawn":
                svc.withdraw(office, nom, "The expert is moving to another university.")
                continue
            svc.submit(office, nom, "Nominated by the university.")
            if scenario == "submitted":
                continue
            if scenario == "not_forwarded":
                svc.check(
                    itc_officer,
                    nom,
                    forward=False,
                    reason="Fewer than five years at professor level.",
                )
                continue
            svc.check(itc_officer, nom, forward=True, reason="Checked: qualified.")
            if scenario == "forwarded":
                continue
            svc.approve(
                most_officer,
                nom,
                approve=scenario == "approved",
                reason="Approved."
                if scenario == "approved"
                else "The database is full in this field.",
            )
        rest = experts[len(SCENARIOS) :]
        if rest:
            lines = ["email,database,society,statement"]
            lines += [f"{e.email},awards,,Batch nomination" for e in rest[:2]]
            lines += ["nobody@example.org,programmes,,Not in the expert database"]
            lines += [f"{rest[0].email},cast,,CAST without a society"]
            lines += [f"{experts[0].email},programmes,,Already nominated"]
            batch = batch_svc.batch_nominate(
                office,
                exercise,
                SimpleUploadedFile("hkust-nominations.csv", "\n".join(lines).encode()),
            )
            made += batch.n_ok
    cuhk = insts.get("cuhk")
    expert_user = User.objects.filter(username="expert").first()
    profile = ExpertProfile.objects.filter(user=expert_user).first() if expert_user else None
    if cuhk is not None and profile is not None and profile.institution_id == cuhk.pk:
        svc.nominate(_office(cuhk), exercise, email=profile.email, database="programmes")
        made += 1
    command.stdout.write(
        f"  nominations: {made} nominations ({Nomination.objects.filter(exercise=exercise).count()} "
        "stored) in every state"
    )
