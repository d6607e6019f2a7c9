"""Who sees which jobs: a job's creator (and whoever its handler names) sees and acts on it; the committee
secretariat and administrators see every job that needs attention."""

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
def may_act_on_job(user, job):
    from .runner import may_act

    return job is not None and may_act(user, job)


rules.add_perm("jobs.view_all_jobs", is_secretariat)
rules.add_perm("jobs.view_job", may_act_on_job | is_secretariat)
rules.add_perm("jobs.act_on_job", may_act_on_job | is_secretariat)
