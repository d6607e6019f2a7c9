"""Who may do what in the expert database (django-rules predicates, object by object)."""

import rules

from sciencebridge.accounts.roles import Role

SEARCH_ROLES = (Role.PROGRAMME_OFFICER, Role.SECRETARIAT, Role.ADMINISTRATOR)
VET_ROLES = (Role.SECRETARIAT, Role.ADMINISTRATOR)


@rules.predicate
def can_search_experts(user) -> bool:
    """Only programme officers, the secretariat and administrators search the expert database."""
    return bool(user.is_authenticated and any(user.has_role(r) for r in SEARCH_ROLES))


@rules.predicate
def can_manage_experts(user) -> bool:
    """Vetting applications and importing or exporting expert lists."""
    return bool(user.is_authenticated and any(user.has_role(r) for r in VET_ROLES))


@rules.predicate
def is_own_profile(user, profile) -> bool:
    return bool(user.is_authenticated and profile is not None and profile.user_id == user.pk)


can_view_expert = can_search_experts | is_own_profile

rules.add_perm("experts.search", can_search_experts)
rules.add_perm("experts.view_expert", can_view_expert)
rules.add_perm("experts.edit_expert", is_own_profile)
rules.add_perm("experts.vet_expert", can_manage_experts)
rules.add_perm("experts.import_experts", can_manage_experts)
rules.add_perm("experts.find_experts", can_search_experts)
