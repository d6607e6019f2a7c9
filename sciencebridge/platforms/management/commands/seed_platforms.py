"""``manage.py seed_platforms``: load the labs and platforms of the public record (idempotent)."""

from django.core.management.base import BaseCommand

from sciencebridge.platforms.services.registry import load_platforms


class Command(BaseCommand):
    help = "Load the registry of labs and platforms from the public record (safe to run again)."

    def handle(self, *args, **opts):
        result = load_platforms()
        self.stdout.write(f"Platforms: {result['platforms']} ({result['new']} new).")
        if result["institutions not found"]:
            self.stdout.write(
                self.style.WARNING(
                    "Institutions not in the register (run seed_reference first): "
                    + ", ".join(result["institutions not found"])
                )
            )
