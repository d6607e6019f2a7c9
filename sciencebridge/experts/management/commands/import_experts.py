"""Import experts from a CSV/XLSX file with a console progress display (same service as the web import).

python manage.py import_experts experts.csv [--status admitted|applied] [--report report.csv] [--user NAME]
"""

import resource
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from sciencebridge.accounts.models import User
from sciencebridge.experts.models import ExpertStatus
from sciencebridge.experts.services.importing import import_experts


class Command(BaseCommand):
    help = "Import experts from a CSV or XLSX file; bad rows are reported and skipped."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--status",
            default=ExpertStatus.ADMITTED,
            choices=[ExpertStatus.ADMITTED, ExpertStatus.APPLIED],
        )
        parser.add_argument("--report", help="Write the rejected rows to this CSV file.")
        parser.add_argument("--user", help="Username recorded as the actor of the import.")
        parser.add_argument(
            "--show-errors", type=int, default=20, help="How many rejected rows to print."
        )

    def handle(self, *args, file, status, report, user, show_errors, **options):
        actor = None
        if user:
            actor = User.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"No user {user!r}")
        tty = sys.stderr.isatty()
        last = [0.0]

        def progress(i, total, message):
            now = time.monotonic()
            if tty or now - last[0] > 2 or i == total:
                last[0] = now
                pct = int(100 * i / total) if total else 100
                bar = "#" * (pct // 4)
                end = "\r" if tty else "\n"
                sys.stderr.write(f"[{bar:<25}] {pct:3d}%  {str(message):<60}{end}")
                sys.stderr.flush()

        result = import_experts(
            file, actor=actor, status=status, progress=progress, report_path=report
        )
        sys.stderr.write("\n")
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            f"rows: {result.total}  imported: {result.imported}  rejected: {result.rejected}  "
            f"time: {result.seconds:.1f}s  peak RSS: {peak_mb:.0f} MB"
        )
        for e in sorted(result.errors, key=lambda e: e["row"])[:show_errors]:
            self.stdout.write(f"  row {e['row']}: {e['email']}: {'; '.join(e['errors'])}")
        if result.rejected > show_errors:
            self.stdout.write(
                f"  ... and {result.rejected - show_errors} more"
                + (f" (see {report})" if report else "")
            )
