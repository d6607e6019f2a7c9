"""Award and regret letters (PDF, WeasyPrint) and the outcome e-mail, in the applicant's language."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sciencebridge.core.notify import notify
from sciencebridge.funding.models import HalfState, JointProposal

from ..models import DecisionState, SideDecision

LANGS = {code for code, _name in settings.LANGUAGES}


def letter_language(user) -> str:
    lang = (getattr(user, "preferred_language", "") or "en").lower()
    return lang if lang in LANGS else "en"


def letter_kind(half) -> str | None:
    """ "award", "regret", or None while the joint outcome is not final."""
    if half.state == HalfState.FUNDED:
        return "award"
    if half.state == HalfState.NOT_FUNDED:
        return "regret"
    return None


def letter_context(half, lang: str) -> dict:
    proposal = half.proposal
    partner = next((h for h in proposal.halves.all() if h.pk != half.pk), None)
    decision = getattr(half, "side_decision", None)
    lead = half.lead
    if lead is None:
        name = ""
    elif lang.startswith("zh") and lead.name_zh:
        name = lead.name_zh
    else:
        name = lead.get_full_name() or lead.username
    return {
        "half": half,
        "proposal": proposal,
        "partner": partner,
        "decision": decision,
        "kind": letter_kind(half),
        "lead_name": name,
        "lead": lead,
        "lang": lang,
        "today": timezone.localdate(),
        "partner_declined": decision is not None and decision.state == DecisionState.RELEASED,
        # A national programme (one agency, one half) is no joint project: its letters say so.
        "joint": proposal.call.scheme.is_joint,
    }


def render_letter_html(half, lang: str | None = None) -> str:
    lang = lang or letter_language(half.lead)
    with translation.override(lang):
        return render_to_string("decisions/letter.html", letter_context(half, lang))


def render_letter_pdf(half, lang: str | None = None) -> bytes:
    from weasyprint import HTML

    html = render_letter_html(half, lang)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def letter_filename(half) -> str:
    kind = letter_kind(half) or "letter"
    return f"{half.proposal.reference}-{half.side}-{kind}.pdf"


def notify_outcome(proposal_id: int) -> None:
    """E-mail each half's lead (in their own language) once both halves are decided."""
    proposal = JointProposal.objects.prefetch_related("halves__lead").get(pk=proposal_id)
    halves = list(proposal.halves.all())
    if not halves or any(letter_kind(h) is None for h in halves):
        return
    url = settings.SITE_URL + reverse("decisions:outcome", args=[proposal.reference])
    joint = proposal.call.scheme.is_joint
    for half in halves:
        if half.lead is None:
            continue
        with translation.override(letter_language(half.lead)):
            ref = {"ref": proposal.reference}
            if letter_kind(half) == "award":
                subject = (
                    _("Your joint proposal %(ref)s is funded") % ref
                    if joint
                    else _("Your proposal %(ref)s is funded") % ref
                )
            else:
                subject = (
                    _("Funding decision on your joint proposal %(ref)s") % ref
                    if joint
                    else _("Funding decision on your proposal %(ref)s") % ref
                )
            notify(
                half.lead.email,
                subject,
                "decisions/email/outcome.txt",
                {
                    "half": half,
                    "proposal": proposal,
                    "url": url,
                    "kind": letter_kind(half),
                    "joint": joint,
                },
            )


def decision_for(half) -> SideDecision | None:
    return getattr(half, "side_decision", None)
