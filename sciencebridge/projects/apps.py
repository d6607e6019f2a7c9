from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "sciencebridge.projects"
    verbose_name = _("Funded projects")

    def ready(self):
        from sciencebridge.funding.signals import proposal_jointly_funded

        # register the project metrics, permissions and the list count's receiver
        from . import list_counts, metrics, rules  # noqa: F401
        from .receivers import on_jointly_funded

        proposal_jointly_funded.connect(
            on_jointly_funded, dispatch_uid="projects.create_from_award"
        )
