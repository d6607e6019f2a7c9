from django.core.management.base import BaseCommand

from sciencebridge.projects.services.projects import create_missing_projects


class Command(BaseCommand):
    help = "Create the projects of jointly funded proposals that have none yet (safe to run repeatedly)."

    def handle(self, *args, **options):
        created = create_missing_projects()
        for project in created:
            self.stdout.write(f"{project.reference} {project.title}")
        self.stdout.write(self.style.SUCCESS(f"{len(created)} project(s) created."))
