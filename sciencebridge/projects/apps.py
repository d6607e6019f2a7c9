from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "sciencebridge.projects"
    verbose_name = _("Funded projects")

    def ready(self):
        from sciencebridge.funding.signals import proposal_jointly_funded

        from . import (  # noqa: F401  (registers the project metrics and permissions)
            list_counts,  # noqa: F401  (connects its receiver)
            metrics,
            rules,
        )
        from .receivers import on_jointly_funded

        proposal_jointly_funded.connect(
            on_jointly_funded, dispatch_uid="projects.create_from_award"
        )
