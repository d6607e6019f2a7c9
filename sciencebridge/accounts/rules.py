"""Who decides on affiliation requests (django-rules predicates).

A research office decides for its own VERIFIED institution only (``user.institution``); an
administrator for any institution.
"""

import rules

from .roles import Role


@rules.predicate
def is_administrator(user):
    return bool(user.is_authenticated and user.has_role(Role.ADMINISTRATOR))


@rules.predicate
def is_research_office(user):
    return bool(
        user.is_authenticated and user.has_role(Role.RESEARCH_OFFICE) and user.institution_id
    )


@rules.predicate
def decides_for_institution(user, req):
    if req is None or not user.is_authenticated:
        return False
    return bool(
        is_administrator(user)
        or (is_research_office(user) and user.institution_id == req.institution_id)
    )


rules.add_perm("accounts.review_affiliations", is_administrator | is_research_office)
rules.add_perm("accounts.decide_affiliation", decides_for_institution)
