"""The register of non-personal research data shared within a project: registering a dataset and
marking it no longer shared (or shared again). Permission first, then every field checked; a refused
registration stores nothing."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sciencebridge.core.workflow import record_initial_state, transition

from ..dataset_options import classifications, licences
from ..models_datasets import DatasetAccess, HeldIn, ResearchDataset

TEXT_MAX = 5000


@transaction.atomic
def register_dataset(
    user,
    project,
    *,
    title: str,
    description: str,
    holder,
    held_in: str,
    location: str,
    licence: str,
    access: str,
    classification: str,
    licence_note: str = "",
    size_note: str = "",
    access_institutions=(),
) -> ResearchDataset:
    if project is None or not user.has_perm("dataflows.register_dataset", project):
        raise PermissionDenied(_("The project's leads register its datasets."))
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Name the dataset.")
    if not (description or "").strip():
        errors["description"] = _("Say what the dataset contains.")
    elif len(description) > TEXT_MAX:
        errors["description"] = _("At most %(n)d characters.") % {"n": TEXT_MAX}
    if holder is None:
        errors["holder"] = _("Choose the institution that holds the data.")
    if held_in not in HeldIn.values:
        errors["held_in"] = _("Say on which side the data is held.")
    if not (location or "").strip():
        errors["location"] = _("Say where the data is held.")
    if licence not in {code for code, _label in licences()}:
        errors["licence"] = _("Choose a licence from the list.")
    elif licence == "other" and not (licence_note or "").strip():
        errors["licence_note"] = _("Describe the licence.")
    if classification not in {code for code, _label in classifications()}:
        errors["classification"] = _("Choose a classification from the list.")
    if access not in DatasetAccess.values:
        errors["access"] = _("Say who may access the data.")
    elif access == DatasetAccess.INSTITUTIONS and not list(access_institutions):
        errors["access_institutions"] = _("Name the institutions with access.")
    if errors:
        raise ValidationError(errors)
    ds = ResearchDataset.objects.create(
        project=project,
        title=title.strip()[:300],
        description=description.strip(),
        holder=holder,
        held_in=held_in,
        location=location.strip()[:300],
        licence=licence,
        licence_note=(licence_note or "").strip()[:500],
        access=access,
        classification=classification,
        size_note=(size_note or "").strip()[:100],
        registered_by=user,
    )
    if access == DatasetAccess.INSTITUTIONS:
        ds.access_institutions.set(access_institutions)
    record_initial_state(ds, actor=user)
    return ds


@transaction.atomic
def set_state(user, ds: ResearchDataset, to_state: str, *, reason: str = "") -> ResearchDataset:
    if not user.has_perm("dataflows.manage_dataset", ds):
        raise PermissionDenied(_("The project's leads manage its datasets."))
    transition(ds, to_state, actor=user, reason=reason)
    return ds
