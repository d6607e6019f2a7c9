"""Who may do what with the committee's records (django-rules predicates).

The public reads everything public: agreements in force (not drafts), meetings, indicators and approved
or closed workplans. Only the committee secretariat (or an administrator) records and edits, and only
the secretariat sees draft workplans and the workplan progress view.
"""

import rules

from sciencebridge.accounts.roles import Role


@rules.predicate
def is_secretariat(user):
    return bool(
        user
        and user.is_authenticated
        and (user.has_role(Role.SECRETARIAT) or user.has_role(Role.ADMINISTRATOR))
    )


@rules.predicate
def is_public(user, obj):
    return obj is None or bool(getattr(obj, "is_public", True))


rules.add_perm("cooperation.view_record", is_public | is_secretariat)
rules.add_perm("cooperation.view_progress", is_secretariat)
rules.add_perm("cooperation.edit_workplan", is_secretariat)
rules.add_perm("cooperation.edit_records", is_secretariat)
rules.add_perm("cooperation.edit_indicators", is_secretariat)
