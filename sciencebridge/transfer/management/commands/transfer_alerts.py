"""Run every saved search and e-mail new matches (idempotent: nothing is sent twice).

Schedule it (cron, or the jobs schedule) as a safety net: alerts are also sent when an offer is
published or a need is posted."""

from django.core.management.base import BaseCommand

from sciencebridge.transfer.services.alerts import run_all_saved_searches


class Command(BaseCommand):
    help = "E-mail new matches of saved marketplace searches."

    def handle(self, *args, **opts):
        result = run_all_saved_searches()
        self.stdout.write(f"{result['alerts']} new matches e-mailed.")
