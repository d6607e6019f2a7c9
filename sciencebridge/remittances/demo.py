"""Demo data of the remittance ledger, built through the services.

Reference rates: one a working day for the demo's span, around 1.08–1.10 HKD per RMB. These are plausible
values for the demo, NOT official fixings ([U]): in production an administrator enters or imports the rate
the agencies agree on (e.g. the PBoC central parity of CNY against HKD) under Admin → Reference rates.
Remittances: the due Mainland (RMB) tranches of the demo projects whose money is used at a Hong Kong
institution, one in each state (instructed, remitted and overdue for receipt, received, received with a
difference to reconcile, reported as used).
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from djmoney.money import Money

from sciencebridge.projects.demo import _officer

from . import selectors
from .models import ReferenceRate, Remittance
from .services import remittances as svc

RATE_SOURCE = "[U] demo value, not an official fixing (source to use: PBoC CNY/HKD central parity)"


def _rates(days=480):
    today = timezone.localdate()
    rows = []
    for i in range(days):
        day = today - dt.timedelta(days=i)
        if day.weekday() < 5:
            wobble = Decimal((i * 37) % 200 - 100) / Decimal(10000)  # ±0.01, deterministic
            rows.append(
                ReferenceRate(date=day, hkd_per_cny=Decimal("1.0900") + wobble, source=RATE_SOURCE)
            )
    ReferenceRate.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def seed(command, rng):
    out = command.stdout
    n_rates = _rates()
    if Remittance.objects.exists():
        out.write(f"  remittances: {Remittance.objects.count()} already, {n_rates} reference rates")
        return
    today = timezone.localdate()
    made = []
    seen_agencies = {}
    for officer_agency_tranches in _candidates():
        made.append(officer_agency_tranches)
    plan = ["reported", "received_flag", "received", "remitted_late", "remitted", "instructed"]
    done = []
    for k, (tranche, officer) in enumerate(made[: len(plan) * 2]):
        goal = plan[k % len(plan)]
        seen_agencies[officer.pk] = officer
        office = tranche_office(tranche)
        if office is None and goal not in ("instructed", "remitted", "remitted_late"):
            goal = "remitted"
        start = today - dt.timedelta(days=40 - k)
        try:
            with transaction.atomic():
                rem = svc.instruct(tranche, actor=officer, instructed_on=start)
                if goal != "instructed":
                    remitted_on = start + dt.timedelta(days=3 if goal != "remitted_late" else 1)
                    if goal == "remitted":
                        remitted_on = today - dt.timedelta(days=1)
                    svc.record_remitted(
                        rem,
                        actor=officer,
                        remitted_on=remitted_on,
                        amount=rem.instructed_amount,
                        bank_reference=f"ICBC-{today:%Y}-{rng.randint(100000, 999999)}",
                    )
                if goal.startswith("received") or goal == "reported":
                    received_on = rem.remitted_on + dt.timedelta(days=4)
                    rate = svc.reference_rate_on(received_on).hkd_per_cny
                    factor = Decimal("0.985") if goal == "received_flag" else Decimal("0.999")
                    hkd = (rem.remitted_amount.amount * rate * factor).quantize(Decimal("0.01"))
                    svc.record_receipt(
                        rem, actor=office, received_on=received_on, amount=Money(hkd, "HKD")
                    )
                if goal == "reported":
                    svc.report_use(
                        rem,
                        actor=office,
                        note="Research staff salaries (62%), equipment (30%) and consumables (8%) "
                        "of the Hong Kong team.",
                        reported_on=rem.received_on + dt.timedelta(days=10),
                    )
            done.append(rem)
        except Exception as e:  # a demo project in an unexpected state: say so, go on
            out.write(f"  remittance of {tranche} skipped: {e}")
    totals = selectors.public_totals()
    out.write(
        f"  remittances: {len(done)} in every state, RMB {totals['remitted_rmb']:,.2f} remitted, "
        f"{n_rates} reference rates ({RATE_SOURCE})"
    )


def tranche_office(tranche):
    from django.contrib.auth import get_user_model

    from sciencebridge.accounts.roles import Role

    recipient = svc.recipient_for(tranche)
    if recipient is None:
        return None
    return (
        get_user_model()
        .objects.filter(institution=recipient, groups__name=Role.RESEARCH_OFFICE, is_active=True)
        .order_by("pk")
        .first()
    )


def _candidates():
    from sciencebridge.projects.models import Tranche, TrancheState

    tranches = (
        Tranche.objects.filter(
            # projects that started at least 45 days ago, so every step has happened by today
            project_side__project__start_date__lte=timezone.localdate() - dt.timedelta(days=45),
            amount_currency="CNY",
            state__in=[TrancheState.RELEASED, TrancheState.PAID],
            remittance__isnull=True,
        )
        .select_related(
            "project_side__project", "project_side__institution", "project_side__agency"
        )
        .order_by("project_side__project__start_date", "pk")
    )
    for t in tranches:
        if svc.instruct_blocker(t) is not None:
            continue
        officer = _officer(t.project_side.agency)
        if officer is not None:
            yield t, officer
