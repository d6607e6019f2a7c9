from django.core.management.base import BaseCommand
from django.utils import timezone

from sciencebridge.funding.models import Call
from sciencebridge.funding.services.proposals import process_deadline


class Command(BaseCommand):
    help = "Close calls whose deadline has passed: unsubmitted halves lapse, unilateral halves become ineligible."

    def handle(self, *args, **options):
        due = Call.objects.filter(closes_at__lte=timezone.now(), deadline_processed_at__isnull=True)
        for call in due:
            counts = process_deadline(call)
            self.stdout.write(
                f"{call.code}: {counts['lapsed']} lapsed, {counts['unilateral']} unilateral"
            )
        if not due:
            self.stdout.write("No call is waiting for deadline processing.")
