"""Embedded-mode scheduler: runs jobs.schedule.SCHEDULE in this process (Celery beat does it in production)."""

import time

from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from sciencebridge.jobs.schedule import SCHEDULE


class Command(BaseCommand):
    help = "Run the scheduled jobs in-process, forever (or once with --once)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run every job once and exit")

    def handle(self, *args, once=False, **options):
        last: dict[str, float] = {}
        while True:
            now = time.monotonic()
            for name, path, every in SCHEDULE:
                if once or now - last.get(name, -1e9) >= every:
                    try:
                        result = import_string(path)()
                        self.stdout.write(f"{name}: {result}")
                    except Exception as exc:  # keep the scheduler alive; the failure is logged
                        self.stderr.write(f"{name} failed: {exc}")
                    last[name] = now
            if once:
                return
            time.sleep(min(5, *(every for _name, _path, every in SCHEDULE)))
