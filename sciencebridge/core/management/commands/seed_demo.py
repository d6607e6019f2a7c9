"""Demo data for the whole platform: every app's ``demo`` module, in INSTALLED_APPS order.

Runs ``seed_reference`` first. The funding app comes first (users for every role, the joint calls and a
few hundred proposals in every state, ``funding/demo_joint.py``); the later stages (review, decisions,
projects, transfer, ...) build on it. Each module is a plain ``demo.py`` (see ``core/plugins.py``):

- ``seed(command, rng)``: build the app's demo data (``command.options`` holds the parsed options);
- optional ``add_arguments(parser)``, ``reset(command)`` (``--reset``, called in reverse order),
  ``seeded() -> str | None`` (a message when the demo exists already: nothing is created then),
  ``summary(command)``, ``LOGINS`` ([(username, what the account does)]) and ``LOGINS_NOTE``.

E-mail goes to the in-memory back-end while seeding.

    manage.py seed_demo --reset              # wipe the demo data, then rebuild
    manage.py seed_demo --proposals 30       # smaller data set
"""

import random
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from sciencebridge.core import stamped_cache
from sciencebridge.core.demo_support import DEMO_PASSWORD
from sciencebridge.core.plugins import app_modules


class Command(BaseCommand):
    help = "Create demo users and data in every workflow state, for every part of the platform."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Delete the demo data first.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        for module in app_modules("demo"):
            if hasattr(module, "add_arguments"):
                module.add_arguments(parser)

    def handle(self, *args, **opts):
        t0 = time.monotonic()
        self.options = opts
        modules = app_modules("demo")
        call_command("seed_reference", verbosity=opts["verbosity"], stdout=self.stdout)
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            if opts["reset"]:
                for module in reversed(modules):
                    if hasattr(module, "reset"):
                        module.reset(self)
            else:
                existing = [m.seeded() for m in modules if hasattr(m, "seeded")]
                if any(existing):
                    for message in filter(None, existing):
                        self.stdout.write(self.style.WARNING(message))
                    self.print_logins(modules)
                    return
            outbox_before = len(getattr(mail, "outbox", []))
            for module in modules:
                self.stdout.write(self.style.MIGRATE_HEADING(f"Demo data: {module.__name__}"))
                # The demo writes under frozen clocks, whose equal timestamps the stamped caches
                # cannot tell apart: each app's step starts with nothing kept.
                stamped_cache.clear_all()
                module.seed(self, random.Random(opts["seed"]))
            suppressed = len(getattr(mail, "outbox", [])) - outbox_before
        for module in modules:
            if hasattr(module, "summary"):
                module.summary(self)
        self.stdout.write(
            f"{suppressed} notification e-mails were kept in memory instead of being printed."
        )
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {time.monotonic() - t0:.1f} s."))
        self.print_logins(modules)

    def login_rows(self, modules=None) -> list[tuple[str, str, str]]:
        """(username, roles, institution / agency) of every named demo account, as each app's demo
        module lists them in ``LOGINS`` ((username, what the account does))."""
        from sciencebridge.accounts.roles import Role  # the user model's roles, not a domain app

        User = get_user_model()
        wanted = []
        for module in app_modules("demo") if modules is None else modules:
            wanted += [(u, str(note)) for u, note in getattr(module, "LOGINS", [])]
        users = {
            u.username: u
            for u in User.objects.filter(username__in=[u for u, _ in wanted])
            .select_related("institution", "agency")
            .prefetch_related("groups")
        }
        rows = []
        for username, note in dict(wanted).items():
            u = users.get(username)
            if u is None:
                continue
            roles = [str(Role(g.name).label) for g in u.groups.all() if g.name in Role.values]
            what = ", ".join(dict.fromkeys([*roles, note] if note else roles)) or "—"
            rows.append((username, what, str(u.agency or u.institution or "—")))
        return rows

    def print_logins(self, modules=None):
        modules = app_modules("demo") if modules is None else modules
        w = self.stdout.write
        w("")
        w(
            f"Open {settings.SITE_URL.rstrip('/')}/ and sign in with one of these (password for all: "
            f"{DEMO_PASSWORD}):"
        )
        rows = self.login_rows(modules)
        width = max([len("username"), *(len(r[0]) for r in rows)]) + 2
        role_width = max([len("role"), *(len(r[1]) for r in rows)]) + 2
        w(f"  {'username':<{width}}{'role':<{role_width}}institution / agency")
        for username, what, where in rows:
            w(f"  {username:<{width}}{what:<{role_width}}{where}")
        for module in modules:
            if getattr(module, "LOGINS_NOTE", ""):
                w(f"  {module.LOGINS_NOTE}")
