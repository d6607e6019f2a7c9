import datetime as dt

from django.core.management.base import BaseCommand

from sciencebridge.projects.services.reminders import send_report_reminders


class Command(BaseCommand):
    help = "E-mail reminders for project reports due soon or overdue (safe to run repeatedly)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, date=None, **options):
        today = dt.date.fromisoformat(date) if date else None
        sent = send_report_reminders(today)
        for report, stage in sent:
            self.stdout.write(f"{report.project_side.project.reference} {report} [{stage}]")
        self.stdout.write(self.style.SUCCESS(f"{len(sent)} reminder(s) sent."))
