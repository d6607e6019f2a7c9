"""Who sees and acts on laboratory grants (django-rules predicates).

- the research office of the lab's university: its own labs' grants and reports (prepares and submits
  the report);
- programme officers of the programme's funder (ITC): every grant of its programmes (offers grants,
  approves or returns reports, releases money);
- administrators: everything. The public sees the registry, the exercises and aggregates only.
"""

import rules

from sciencebridge.accounts.roles import Role


@rules.predicate
def is_admin(user):
    return bool(user.is_authenticated and user.has_role(Role.ADMINISTRATOR))


@rules.predicate
def is_lab_office(user, grant):
    return bool(
        user.is_authenticated
        and grant is not None
        and user.has_role(Role.RESEARCH_OFFICE)
        and user.institution_id
        and user.institution_id == grant.institution_id
    )


@rules.predicate
def is_funder_officer(user, grant):
    return bool(
        user.is_authenticated
        and grant is not None
        and user.has_role(Role.PROGRAMME_OFFICER)
        and user.agency_id
        and user.agency_id == grant.programme.funder_id
    )


@rules.predicate
def is_any_funder_officer(user):
    from .models import LabProgramme

    return bool(
        user.is_authenticated
        and user.has_role(Role.PROGRAMME_OFFICER)
        and user.agency_id
        and LabProgramme.objects.filter(funder_id=user.agency_id).exists()
    )


rules.add_perm("labfunding.view_grant", is_lab_office | is_funder_officer | is_admin)
rules.add_perm("labfunding.edit_report", is_lab_office)
rules.add_perm("labfunding.decide", is_funder_officer)
rules.add_perm("labfunding.offer", is_any_funder_officer)
