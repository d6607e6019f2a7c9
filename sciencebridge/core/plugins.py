"""Each domain app may contribute to shared places through an optional module of a known name:

- ``nav.py``   ``items(request) -> list[(label, url)]``   top navigation (optional ``probes(user)``,
  as for the dashboard)
- ``api.py``   ``register(router)``                       REST API v1 routes
- ``demo.py``  ``seed(command, rng)``                     demo data (``manage.py seed_demo``; optional
  ``add_arguments``, ``reset``, ``seeded``, ``summary``, ``LOGINS``: see that command)
- ``dashboard.py`` ``panels(request) -> list[dict]``      sections of the signed-in dashboard; each dict has
  ``title`` and ``template`` plus any context the template needs (an app returns nothing for a user
  its sections do not concern)
- ``files.py`` ``PROTECTED_FILES = [ProtectedFile(...)]``  the stored files the app owns and who may
  download them (served only through ``core.files``)

so that no central file has to know every app.
"""

from functools import cache
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps


@cache
def app_modules(submodule: str) -> tuple:
    """The ``<app>.<submodule>`` modules of the ScienceBridge apps that have one, in INSTALLED_APPS
    order. Looked up once per process: the dashboard asks on every request."""
    found = []
    for cfg in apps.get_app_configs():
        if not cfg.name.startswith("sciencebridge."):
            continue
        name = f"{cfg.name}.{submodule}"
        if find_spec(name) is not None:
            found.append(import_module(name))
    return tuple(found)
