"""Who may post, apply and select (django-rules predicates)."""

import rules

from sciencebridge.accounts.roles import Role


@rules.predicate
def is_secretariat(user):
    return bool(
        user.is_authenticated
        and (user.has_role(Role.SECRETARIAT) or user.has_role(Role.ADMINISTRATOR))
    )


@rules.predicate
def is_host_office(user, posting):
    """The host institution's research office manages its postings and selects among applicants."""
    return bool(
        user.is_authenticated
        and user.has_role(Role.RESEARCH_OFFICE)
        and user.institution_id
        and posting is not None
        and posting.host_id == user.institution_id
    )


@rules.predicate
def is_research_office(user):
    return bool(
        user.is_authenticated and user.has_role(Role.RESEARCH_OFFICE) and user.institution_id
    )


@rules.predicate
def has_institution(user):
    return bool(user.is_authenticated and user.institution_id)


rules.add_perm("talent.post", is_research_office | is_secretariat)
rules.add_perm("talent.manage_posting", is_host_office | is_secretariat)
rules.add_perm("talent.apply", has_institution)
rules.add_perm("talent.record_exchange", is_secretariat)


@rules.predicate
def is_applicant(user, application):
    return bool(
        user.is_authenticated and application is not None and application.applicant_id == user.pk
    )


@rules.predicate
def manages_application(user, application):
    return application is not None and is_host_office(user, application.posting)


@rules.predicate
def is_exchange_party(user, exchange):
    """The person on exchange, and the research offices of the home and host institutions."""
    if not user.is_authenticated or exchange is None:
        return False
    if exchange.person_id == user.pk:
        return True
    return bool(
        user.has_role(Role.RESEARCH_OFFICE)
        and user.institution_id
        and user.institution_id in (exchange.home_id, exchange.host_id)
    )


rules.add_perm("talent.view_application", is_applicant | manages_application | is_secretariat)
rules.add_perm("talent.view_exchange", is_exchange_party | is_secretariat)
