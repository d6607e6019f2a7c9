"""Funding → projects hand-over: the award becomes a project."""


def on_jointly_funded(sender, proposal, actor=None, **kwargs):
    from .services.projects import create_project_from_award

    create_project_from_award(proposal, actor=actor)
