"""``deploy/gunicorn.conf.py`` loaded as a module, for tests of its settings and worker hook."""

import importlib.util
from pathlib import Path

from django.conf import settings


def load_gunicorn_conf(module_name: str = "gunicorn_conf_under_test"):
    """A fresh module each call: the settings are read from the environment as the test set it."""
    path = Path(settings.BASE_DIR) / "deploy" / "gunicorn.conf.py"
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
