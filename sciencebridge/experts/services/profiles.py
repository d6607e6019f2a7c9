"""Expert profile services: apply to join, vetting by the secretariat, self-service updates.

Every function checks permission first and raises ``PermissionDenied`` or a ``ValidationError``
keyed by field, so a rejected action changes nothing.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sciencebridge.accounts.roles import Role
from sciencebridge.core.workflow import because, record_initial_state, transition

from ..models import (
    AvailabilityWindow,
    DeclaredConflict,
    ExpertProfile,
    ExpertStatus,
    Publication,
    ReviewRecord,
    normalise_doi,
    title_key,
    touch,
)
from ..rules import can_manage_experts, is_own_profile
from .validation import check_orcid, normalise_orcid

PROFILE_FIELDS = (
    "name_en",
    "name_zh",
    "region",
    "institution",
    "department",
    "title",
    "keywords",
    "languages",
    "orcid",
    "consent_to_contact",
)


def _check_profile(data: dict, instance: ExpertProfile | None = None) -> None:
    """Checks shared by applying and self-service edits (normalises ``data["orcid"]`` in place)."""
    errors = {}
    email = (data.get("email") or "").strip().lower()
    if email:
        clash = ExpertProfile.objects.filter(email=email)
        if instance is not None and instance.pk:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            errors["email"] = [_("Another expert profile already uses this e-mail address.")]
    if data.get("orcid"):
        msg = check_orcid(data["orcid"])
        if msg:
            errors["orcid"] = [msg]
        data["orcid"] = normalise_orcid(data["orcid"])
    inst = data.get("institution")
    if inst is not None and data.get("region") and inst.region != data["region"]:
        errors["region"] = [
            _("The region does not match the institution's region (%(r)s).")
            % {"r": inst.get_region_display()}
        ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def apply_to_join(user, *, discipline_codes=(), **fields) -> ExpertProfile:
    """A registered user applies to join the expert database; the profile starts as "applied"."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Log in to apply."))
    existing = ExpertProfile.objects.filter(user=user).first()
    if existing is not None and existing.status != ExpertStatus.REJECTED:
        raise ValidationError(
            {
                "__all__": _("You already have an expert profile (%(s)s).")
                % {"s": existing.get_status_display()}
            }
        )
    data = {k: v for k, v in fields.items() if k in PROFILE_FIELDS}
    email = (fields.get("email") or user.email).strip().lower()
    data["email"] = email
    _check_profile(data, existing)
    if existing is not None:  # re-application after a rejection
        for k, v in data.items():
            setattr(existing, k, v)
        existing.save()
        existing.discipline_codes.set(discipline_codes)
        transition(
            existing,
            ExpertStatus.APPLIED,
            actor=user,
            reason=because(gettext_noop("Applied again")),
        )
        return existing
    profile = ExpertProfile.objects.create(user=user, status=ExpertStatus.APPLIED, **data)
    profile.discipline_codes.set(discipline_codes)
    record_initial_state(
        profile, actor=user, reason=because(gettext_noop("Applied to join the expert database"))
    )
    return profile


def _require_manager(user):
    if not can_manage_experts(user):
        raise PermissionDenied(_("Only the secretariat vets expert applications."))


def decide(user, profile: ExpertProfile, to_status: str, reason: str) -> ExpertProfile:
    """Admit, reject, suspend or reinstate an expert; the decision and its reason are recorded."""
    _require_manager(user)
    if to_status in (ExpertStatus.REJECTED, ExpertStatus.SUSPENDED) and not (reason or "").strip():
        raise ValidationError({"reason": _("Give a reason for this decision.")})
    with transaction.atomic():
        profile = ExpertProfile.objects.select_for_update().get(pk=profile.pk)
        # updated_at too: the kept search orders and the matching engine's cache are stamped with it
        transition(
            profile, to_status, actor=user, reason=reason.strip(), update_fields=["updated_at"]
        )
        if to_status == ExpertStatus.ADMITTED and profile.user_id:
            profile.user.grant_role(Role.EXPERT)
    return profile


def admit(user, profile, reason=""):
    return decide(user, profile, ExpertStatus.ADMITTED, reason)


def reject(user, profile, reason):
    return decide(user, profile, ExpertStatus.REJECTED, reason)


def suspend(user, profile, reason):
    return decide(user, profile, ExpertStatus.SUSPENDED, reason)


def _require_owner(user, profile):
    if not is_own_profile(user, profile):
        raise PermissionDenied(_("You can change only your own expert profile."))


@transaction.atomic
def update_own_profile(
    user, profile: ExpertProfile, *, discipline_codes=None, **fields
) -> ExpertProfile:
    _require_owner(user, profile)
    data = {k: v for k, v in fields.items() if k in (*PROFILE_FIELDS, "email")}
    merged = {**{f: getattr(profile, f) for f in PROFILE_FIELDS}, **data}
    _check_profile(merged, profile)
    if "orcid" in data:
        data["orcid"] = merged["orcid"]
    for k, v in data.items():
        setattr(profile, k, v)
    profile.save()  # also bumps updated_at, which invalidates the matching cache
    if discipline_codes is not None:
        profile.discipline_codes.set(discipline_codes)
    return profile


def add_publication(user, profile, **fields) -> Publication:
    _require_owner(user, profile)
    pub = Publication(expert=profile, **fields).prepare()
    dup = profile.publications.filter(title_key=pub.title_key)
    if pub.doi:
        dup = dup | profile.publications.filter(doi=pub.doi)
    if dup.exists():
        raise ValidationError({"title": _("This publication is already in your profile.")})
    pub.save()
    return pub


def add_publications(profile, entries, source) -> tuple[list[Publication], int]:
    """Add parsed publications, skipping any already present (same DOI or same title).

    Returns the created publications and how many were skipped as duplicates."""
    existing = profile.publications.values_list("doi", "title_key")
    dois = {d for d, _t in existing if d}
    titles = {t for _d, t in existing}
    new = []
    skipped = 0
    for e in entries:
        pub = Publication(
            expert=profile,
            title=e.title[:500],
            abstract=e.abstract,
            year=e.year,
            venue=e.venue[:300],
            coauthors="; ".join(e.authors),
            doi=e.doi,
            source=source,
        ).prepare()
        if not pub.title_key or (pub.doi and pub.doi in dois) or pub.title_key in titles:
            skipped += 1
            continue
        dois.add(pub.doi)
        titles.add(pub.title_key)
        new.append(pub)
    with transaction.atomic():
        created = Publication.objects.bulk_create(new)
        touch(profile.pk)
    return created, skipped


def import_own_publications(user, profile, entries, source) -> tuple[list[Publication], int]:
    _require_owner(user, profile)
    return add_publications(profile, entries, source)


def add_declared_conflict(user, profile, **fields) -> DeclaredConflict:
    _require_owner(user, profile)
    if not (fields.get("person_name") or fields.get("person_email") or fields.get("institution")):
        raise ValidationError({"__all__": _("Name a person or an institution.")})
    return DeclaredConflict.objects.create(expert=profile, **fields)  # touches the profile


def add_availability(user, profile, **fields) -> AvailabilityWindow:
    _require_owner(user, profile)
    if fields["end"] < fields["start"]:
        raise ValidationError({"end": _("The end date is before the start date.")})
    return AvailabilityWindow.objects.create(expert=profile, **fields)


def add_review_record(user, profile, **fields) -> ReviewRecord:
    _require_owner(user, profile)
    return ReviewRecord.objects.create(expert=profile, **fields)


def delete_owned(user, obj) -> None:
    """Delete one of the expert's own related rows (publication, availability, conflict, review record)."""
    _require_owner(user, obj.expert)
    obj.delete()
    touch(obj.expert_id)


__all__ = [
    "add_availability",
    "add_declared_conflict",
    "add_publication",
    "add_publications",
    "add_review_record",
    "admit",
    "apply_to_join",
    "decide",
    "delete_owned",
    "import_own_publications",
    "normalise_doi",
    "reject",
    "suspend",
    "title_key",
    "update_own_profile",
]
