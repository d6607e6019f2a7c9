"""Load the committee's public record: agreements, meetings, the 2024-25 workplan and indicator series
(idempotent; see ``sciencebridge/cooperation/reference.py`` for the data and its sources)."""

from django.core.management.base import BaseCommand

from sciencebridge.cooperation.services.reference import load_public_record


class Command(BaseCommand):
    help = "Load the Mainland/HK S&T Co-operation Committee's public record (idempotent)."

    def handle(self, *args, **options):
        counts = load_public_record()
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS("Committee record loaded: ")
                + ", ".join(f"{v} {k}" for k, v in counts.items())
            )
