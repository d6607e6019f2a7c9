"""Who may see and act on sample exports, transfers and registered datasets (django-rules predicates).

Sample exports: the applicant, the research offices of the pilot unit (sender) and of the Hong Kong
recipient, the leads of the linked project and the programme officers of the agencies funding it see an
application and its transfers; the secretariat sees everything (oversight). The sender side (applicant,
pilot unit's office) applies and records transfers; the secretariat, or an officer of an agency funding
the linked project, records the authority's approval and reviews transfers that need a full review.

Datasets: the project's leads register them; the leads, the research offices of the project's
institutions and of the holder, and the project's officers see them; the secretariat sees all.
"""

import rules

from sciencebridge.accounts.roles import Role

from .rules import reads_all


def _office_of(user, *institution_ids) -> bool:
    return bool(
        user.is_authenticated
        and user.has_role(Role.RESEARCH_OFFICE)
        and user.institution_id
        and user.institution_id in institution_ids
    )


def _project_lead(user, project) -> bool:
    return bool(
        project is not None
        and user.is_authenticated
        and any(s.lead_id == user.pk for s in project.sides.all())
    )


def _project_agency_officer(user, project) -> bool:
    return bool(
        project is not None
        and user.is_authenticated
        and user.has_role(Role.PROGRAMME_OFFICER)
        and user.agency_id
        and any(s.agency_id == user.agency_id for s in project.sides.all())
    )


# --- sample exports ---------------------------------------------------------------------------------


def is_sender(user, app) -> bool:
    """The applicant, or the research office of the pilot unit."""
    if not user.is_authenticated or app is None:
        return False
    return app.applicant_id == user.pk or _office_of(user, app.pilot_unit.institution_id)


@rules.predicate
def is_export_party(user, app):
    if app is None or not user.is_authenticated:
        return False
    return is_sender(user, app) or _office_of(user, app.recipient_id)


@rules.predicate
def is_export_project_person(user, app):
    return bool(
        app is not None
        and app.project_id
        and (_project_lead(user, app.project) or _project_agency_officer(user, app.project))
    )


@rules.predicate
def is_export_sender(user, app):
    return is_sender(user, app)


@rules.predicate
def is_export_decider(user, app):
    """Records the authority's decision and reviews transfers: the secretariat, or an officer of an
    agency funding the linked project."""
    if app is None or not user.is_authenticated:
        return False
    return reads_all(user) or bool(app.project_id and _project_agency_officer(user, app.project))


@rules.predicate
def at_pilot_unit(user):
    """A verified member of an active pilot unit (or its research office) may apply."""
    from .models_samples import PilotUnit

    return bool(
        user.is_authenticated
        and user.institution_id
        and PilotUnit.objects.filter(institution_id=user.institution_id, active=True).exists()
    )


@rules.predicate
def oversight(user):
    return reads_all(user)


rules.add_perm("dataflows.view_export", is_export_party | is_export_project_person | oversight)
rules.add_perm("dataflows.apply_export", at_pilot_unit)
rules.add_perm("dataflows.send_samples", is_export_sender)
rules.add_perm("dataflows.decide_export", is_export_decider)


# --- datasets ---------------------------------------------------------------------------------------


@rules.predicate
def leads_project(user, project):
    return _project_lead(user, project)


@rules.predicate
def is_dataset_party(user, ds):
    if ds is None or not user.is_authenticated:
        return False
    if ds.registered_by_id == user.pk or _project_lead(user, ds.project):
        return True
    ids = {s.institution_id for s in ds.project.sides.all()} | {ds.holder_id}
    return _office_of(user, *ids)


@rules.predicate
def is_dataset_officer(user, ds):
    return bool(ds is not None and _project_agency_officer(user, ds.project))


@rules.predicate
def manages_dataset(user, ds):
    return bool(
        ds is not None
        and (ds.registered_by_id == user.pk or _project_lead(user, ds.project) or reads_all(user))
    )


rules.add_perm("dataflows.register_dataset", leads_project)
rules.add_perm("dataflows.view_dataset", is_dataset_party | is_dataset_officer | oversight)
rules.add_perm("dataflows.manage_dataset", manages_dataset)
