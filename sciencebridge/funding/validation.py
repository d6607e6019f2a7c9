"""Scheme rules checked against a proposal half. Each check returns field-level messages.

These are pure checks over loaded objects; the services call them before any state change,
so a rejected action changes nothing.
"""

from decimal import Decimal

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciencebridge.core.money import format_money
from sciencebridge.core.prefetched import related_rows

from .models import (
    FINAL_STATES,
    SIDE_CURRENCY,
    SIDE_REGION,
    CareerStage,
    EmploymentType,
    JointProposal,
    ProposalHalf,
    Sex,
    Side,
)

PDF_MAGIC = b"%PDF-"
CAREER_STAGE_PLURAL = {
    CareerStage.FACULTY: gettext_lazy("Academic and research staff"),
    CareerStage.POSTDOC: gettext_lazy("Postdoctoral fellows"),
    CareerStage.STUDENT: gettext_lazy("Students"),
}


def money(amount: Decimal, currency: str) -> str:
    return format_money(amount, currency)


def check_budget(half: ProposalHalf, lines=None) -> dict[str, list[str]]:
    """Currency of every line and the total against the call's ceiling for this side."""
    errors: dict[str, list[str]] = {}
    lines = list(half.budget_lines.all()) if lines is None else lines
    currency = SIDE_CURRENCY[half.side]
    for i, ln in enumerate(lines, start=1):
        if ln.amount is None or ln.amount.amount <= 0:
            errors.setdefault("budget", []).append(
                _(
                    "Line %(n)d: budget amounts are positive (a negative line would offset the others); "
                    "enter what the line costs."
                )
                % {"n": i}
            )
    wrong = [ln for ln in lines if ln.amount is not None and str(ln.amount.currency) != currency]
    if wrong:
        errors.setdefault("budget", []).append(
            _("The %(side)s budget must be in %(currency)s; %(n)d line(s) use another currency.")
            % {"side": half.get_side_display(), "currency": currency, "n": len(wrong)}
        )
    total = sum(
        (
            ln.amount.amount
            for ln in lines
            if ln.amount is not None and str(ln.amount.currency) == currency
        ),
        Decimal(0),
    )
    ceiling = half.proposal.call.ceiling_for(half.side)
    if ceiling is not None and total > ceiling:
        errors.setdefault("budget", []).append(
            _("The total requested, %(total)s, exceeds this side's ceiling of %(ceiling)s.")
            % {"total": money(total, currency), "ceiling": money(ceiling, currency)}
        )
    return errors


def budget_total(half: ProposalHalf) -> Decimal:
    currency = SIDE_CURRENCY[half.side]
    return sum(
        (
            ln.amount.amount
            for ln in related_rows(half, "budget_lines")
            if str(ln.amount.currency) == currency
        ),
        Decimal(0),
    )


def check_duration(proposal: JointProposal, duration: int | None = None) -> dict[str, list[str]]:
    duration = proposal.duration_months if duration is None else duration
    limit = proposal.call.scheme.max_duration_months
    if duration and duration > limit:
        return {
            "duration_months": [
                _("The duration of %(d)d months is over this scheme's limit of %(limit)d months.")
                % {"d": duration, "limit": limit}
            ]
        }
    if not duration or duration < 1:
        return {"duration_months": [_("Enter a duration of at least one month.")]}
    return {}


def check_lead_institution(half: ProposalHalf, institution=None) -> dict[str, list[str]]:
    institution = institution or half.institution
    call = half.proposal.call
    scheme_side = call.scheme.side(half.side)
    if institution is None:
        return {"institution": [_("Choose the lead institution.")]}
    if not call.scheme.is_joint:
        return check_designated(call, scheme_side, institution)
    if institution.region != SIDE_REGION[half.side]:
        return {
            "institution": [
                _(
                    "%(inst)s is not in the right region for the %(side)s: the partner must come from %(region)s."
                )
                % {
                    "inst": institution,
                    "side": half.get_side_display(),
                    "region": _("Hong Kong") if half.side == Side.HONG_KONG else _("the Mainland"),
                }
            ]
        }
    if not scheme_side.institution_may_lead(institution):
        return {
            "institution": [
                _("%(inst)s may not lead the %(side)s of this scheme. Eligible leads: %(cats)s.")
                % {
                    "inst": institution,
                    "side": half.get_side_display(),
                    "cats": scheme_side.eligible_categories_display()
                    or _("designated institutions"),
                }
            ]
        }
    return {}


def check_role_limit(half: ProposalHalf, person) -> dict[str, list[str]]:
    """One person, at most N lead roles per exercise across sibling schemes (e.g. NSFC/RGC JRS, YRS, CRS)."""
    call = half.proposal.call
    scheme = call.scheme
    if not scheme.max_roles_per_exercise or person is None:
        return {}
    group_q = (
        Q(proposal__call__scheme__exercise_group=scheme.exercise_group)
        if scheme.exercise_group
        else Q(proposal__call__scheme=scheme)
    )
    held = (
        ProposalHalf.objects.filter(group_q, proposal__call__exercise=call.exercise, lead=person)
        .exclude(state__in=[s.value for s in FINAL_STATES])
        .exclude(pk=half.pk)
        .select_related("proposal__call__scheme")
    )
    if held.count() >= scheme.max_roles_per_exercise:
        other = held.first()
        return {
            "lead": [
                _(
                    "%(person)s already holds a role in the %(exercise)s exercise (%(ref)s under %(scheme)s); "
                    "one person may hold only %(n)d role(s) per exercise across these schemes."
                )
                % {
                    "person": person,
                    "exercise": call.exercise,
                    "ref": other.proposal.reference,
                    "scheme": other.proposal.call.scheme,
                    "n": scheme.max_roles_per_exercise,
                }
            ]
        }
    return {}


def check_industry_share(half: ProposalHalf) -> dict[str, list[str]]:
    ptype = half.proposal.project_type
    if half.side != Side.HONG_KONG or ptype is None or not ptype.min_industry_share:
        return {}
    total_cost = budget_total(half) + half.industry_sponsorship
    if total_cost <= 0:
        return {}
    share = 100 * half.industry_sponsorship / total_cost
    if share < ptype.min_industry_share:
        return {
            "industry_sponsorship": [
                _(
                    "Industry sponsorship is %(share).1f%% of the total cost; a %(type)s project needs at least %(min)s%%."
                )
                % {"share": share, "type": ptype, "min": f"{float(ptype.min_industry_share):g}"}
            ]
        }
    return {}


def check_attachment_file(uploaded) -> list[str]:
    """Size limit, then the file must parse as a PDF with at least one page (a ``%PDF-`` prefix on an
    HTML page or a script is not enough). Every PDF upload of the platform goes through this check."""
    errors = []
    limit = settings.ATTACHMENT_MAX_BYTES
    if uploaded.size > limit:
        errors.append(
            _("“%(name)s” is %(size).1f MB; the limit is %(limit).0f MB.")
            % {"name": uploaded.name, "size": uploaded.size / 1e6, "limit": limit / 1e6}
        )
        return errors
    if not is_pdf(uploaded):
        errors.append(
            _(
                "“%(name)s” is not a PDF file (it could not be read as one). Upload attachments as PDF."
            )
            % {"name": uploaded.name}
        )
    return errors


def is_pdf(uploaded) -> bool:
    """Parse the file with pypdf: header, document catalogue and at least one page (pypdf repairs a damaged
    cross-reference table, as PDF readers do)."""
    import io
    import logging

    from pypdf import PdfReader

    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    if not data.startswith(PDF_MAGIC):
        return False
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        return len(reader.pages) >= 1
    except Exception:  # noqa: BLE001 - pypdf raises many types on malformed input; all mean "not a PDF"
        return False


def check_shared_texts(proposal: JointProposal) -> dict[str, list[str]]:
    """The shared texts within their stated limits (the form says so too; this guards every caller)."""
    errors: dict[str, list[str]] = {}
    for field in ("title", "abstract", "plan"):
        limit = JointProposal._meta.get_field(field).max_length
        value = getattr(proposal, field) or ""
        if len(value) > limit:
            errors[field] = [
                _("At most %(limit)s characters (this has %(n)s).")
                % {"limit": f"{limit:,}", "n": f"{len(value):,}"}
            ]
    return errors


def check_required_attachments(half: ProposalHalf) -> dict[str, list[str]]:
    scheme = half.proposal.call.scheme
    have = {a.kind_id for a in half.attachments.all()}
    missing = [
        r
        for r in scheme.required_attachments.all()
        if r.required and r.side in ("", half.side) and r.pk not in have
    ]
    if missing:
        return {
            "attachments": [
                _("Missing required attachment: %(name)s.") % {"name": r.name} for r in missing
            ]
        }
    return {}


def check_partner(half: ProposalHalf) -> dict[str, list[str]]:
    if not half.proposal.call.scheme.is_joint:
        return {}  # a national programme has one half: there is no partner
    partner = half.proposal.half(Side.MAINLAND if half.side == Side.HONG_KONG else Side.HONG_KONG)
    if partner is None or partner.lead_id is None:
        return {
            "partner": [
                _(
                    "Unilateral submission is not accepted: this half has no partner yet. "
                    "Invite the partner lead and wait until they have joined."
                )
            ]
        }
    if partner.state in (FINAL_STATES - {"ineligible"}):
        return {
            "partner": [
                _("The partner half has been %(state)s.") % {"state": partner.get_state_display()}
            ]
        }
    return {}


def check_for_submission(half: ProposalHalf) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for part in (
        check_partner(half),
        check_duration(half.proposal),
        check_lead_institution(half),
        check_role_limit(half, half.lead),
        check_budget(half),
        check_industry_share(half),
        check_required_attachments(half),
        check_personal_eligibility(half),
    ):
        for field, msgs in part.items():
            errors.setdefault(field, []).extend(msgs)
    if not half.budget_lines.exists():
        errors.setdefault("budget", []).append(_("Add at least one budget line."))
    if not half.keyword_list():
        errors.setdefault("keywords", []).append(_("Add at least one keyword."))
    return errors


# ----------------------------------------------------------------------------------------------
# National programmes open to Hong Kong / Macao: eligibility as data, evaluated and explained
# ----------------------------------------------------------------------------------------------
OK, FAIL, MISSING, DECLARE = "ok", "fail", "missing", "declare"
RESIDENCE_EVIDENCE = (
    "residence-declaration"  # the RequiredAttachment code that carries the evidence
)


def _designated(call, scheme_side) -> list:
    ids = call.designated_ids()
    if ids:
        return [i for i in _institutions(ids)]
    return list(scheme_side.designated_institutions.all())


def _institutions(ids):
    from sciencebridge.institutions.models import Institution

    return Institution.objects.filter(pk__in=ids).order_by("name")


def check_designated(call, scheme_side, institution) -> dict[str, list[str]]:
    """A national programme takes leads only at the institutions designated for the programme, or for
    this exercise when the call names its own list."""
    scheme = call.scheme
    regions = scheme.lead_regions(scheme_side.side)
    if institution.region not in regions:
        return {
            "institution": [
                _(
                    "%(inst)s is not in Hong Kong or Macao: this programme is open to applicants there."
                )
                % {"inst": institution}
            ]
        }
    if scheme_side.institution_may_lead(institution, call=call):
        return {}
    names = ", ".join(str(i) for i in _designated(call, scheme_side))
    return {
        "institution": [
            _(
                "%(inst)s is not designated for %(scheme)s in the %(exercise)s exercise; "
                "designated: %(names)s."
            )
            % {
                "inst": institution,
                "scheme": scheme.name,  # in the page's language (a short name may be an abbreviation)
                "exercise": call.exercise,
                "names": names or "—",
            }
        ]
    }


def age_on(born, day) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def evaluate_eligibility(call, user, *, half: ProposalHalf | None = None) -> list[dict]:
    """Every eligibility rule of a national programme for this person, each with its status (ok, fail,
    missing: complete the profile, declare: cannot be checked from the profile, the declaration and its
    evidence are verified by the officer at screening) and the reason in words. Joint schemes: [].
    A bounded number of queries whatever the amount of data (by primary key only)."""
    from .models import EligibilityProfile, PersonalRules

    scheme = call.scheme
    if scheme.is_joint:
        return []
    scheme_side = scheme.single_side
    out: list[dict] = []

    def add(code, status, message):
        out.append({"code": code, "status": status, "message": message})

    institution = half.institution if half is not None else user.institution
    if institution is None:
        add("institution", MISSING, _("Your profile has no verified institution."))
    else:
        errs = check_designated(call, scheme_side, institution)
        if errs:
            add("institution", FAIL, errs["institution"][0])
        else:
            add(
                "institution",
                OK,
                _("%(inst)s is designated for this exercise.") % {"inst": institution},
            )
    rules = PersonalRules.objects.filter(scheme=scheme).first()
    if rules is None:
        return out
    person = half.lead if half is not None and half.lead_id else user
    profile = EligibilityProfile.objects.filter(user=person).first() if person else None
    p = profile or EligibilityProfile()
    if rules.age_limit_male or rules.age_limit_female:
        day = call.reference_date or timezone.localdate(call.closes_at)
        if not p.date_of_birth or not p.sex:
            add(
                "age",
                MISSING,
                _(
                    "Enter your date of birth and sex in your eligibility profile: the age limit depends on them."
                ),
            )
        else:
            limit = rules.age_limit_male if p.sex == Sex.MALE else rules.age_limit_female
            age = age_on(p.date_of_birth, day)
            params = {
                "age": age,
                "day": day.isoformat(),
                "limit": limit,
                "who": _("men") if p.sex == Sex.MALE else _("women"),
            }
            if limit is None or age < limit:
                add(
                    "age",
                    OK,
                    _("Age %(age)d on the reference date %(day)s: under %(limit)s.") % params,
                )
            else:
                add(
                    "age",
                    FAIL,
                    _(
                        "On the reference date %(day)s you are %(age)d; this programme takes %(who)s under %(limit)d."
                    )
                    % params,
                )
    if rules.employment_types:
        labels = dict(EmploymentType.choices)
        wanted = ", ".join(str(labels.get(c, c)) for c in rules.employment_types)
        if not p.employment_type:
            add("employment", MISSING, _("State your employment type in your eligibility profile."))
        elif p.employment_type in rules.employment_types:
            add("employment", OK, _("Employment: %(e)s.") % {"e": p.get_employment_type_display()})
        else:
            add(
                "employment",
                FAIL,
                _("Your employment is “%(e)s”; this programme requires: %(wanted)s.")
                % {"e": p.get_employment_type_display(), "wanted": wanted},
            )
    if rules.excluded_career_stages:
        if not p.career_stage:
            add("career_stage", MISSING, _("State your career stage in your eligibility profile."))
        elif p.career_stage in rules.excluded_career_stages:
            add(
                "career_stage",
                FAIL,
                _("%(stage)s are excluded from this programme.")
                % {"stage": CAREER_STAGE_PLURAL[p.career_stage]},
            )
        else:
            add("career_stage", OK, _("Career stage: %(s)s.") % {"s": p.get_career_stage_display()})
    if rules.min_months_in_region:
        params = {"n": p.months_in_region, "min": rules.min_months_in_region}
        if p.months_in_region is None:
            add(
                "residence",
                MISSING,
                _(
                    "Declare in your eligibility profile how many months a year you are in Hong Kong / Macao."
                ),
            )
        elif p.months_in_region < rules.min_months_in_region:
            add(
                "residence",
                FAIL,
                _(
                    "You declared %(n)d months a year in Hong Kong / Macao; at least %(min)d are required."
                )
                % params,
            )
        else:
            has_evidence = (
                half is not None and half.attachments.filter(kind__code=RESIDENCE_EVIDENCE).exists()
            )
            if half is not None and half.declarations_verified_at:
                add(
                    "residence",
                    OK,
                    _(
                        "Declared %(n)d months a year; declaration and evidence verified by the officer."
                    )
                    % params,
                )
            elif has_evidence:
                add(
                    "residence",
                    DECLARE,
                    _(
                        "Declared %(n)d months a year; your declaration and evidence are attached and will be "
                        "verified by the officer at screening."
                    )
                    % params,
                )
            else:
                add(
                    "residence",
                    DECLARE,
                    _(
                        "Declared %(n)d months a year. This cannot be checked from your profile: attach the "
                        "residence declaration with evidence (PDF); the officer verifies it at screening."
                    )
                    % params,
                )
    return out


def eligibility_failures(results: list[dict], *, missing_too: bool = True) -> list[str]:
    bad = {FAIL, MISSING} if missing_too else {FAIL}
    return [r["message"] for r in results if r["status"] in bad]


def check_personal_eligibility(half: ProposalHalf) -> dict[str, list[str]]:
    """At submission: every personal rule met (residence evidence is checked as a required attachment)."""
    call = half.proposal.call
    if call.scheme.is_joint:
        return {}
    results = evaluate_eligibility(call, half.lead, half=half)
    msgs = [
        r["message"]
        for r in results
        if r["status"] in (FAIL, MISSING) and r["code"] != "institution"
    ]
    return {"eligibility": msgs} if msgs else {}
