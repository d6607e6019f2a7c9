"""The project's URL conf as the default set-up builds it (``DEBUG`` on, as in ``./scripts/demo`` and the
settings' default), so the matrix also sees any route only that set-up has (there is no ``/media/`` route any
more: stored files are served by ``core:file`` alone, in every set-up).

The test settings turn DEBUG off before ``sciencebridge.urls`` is first imported; here the same module is
executed again with DEBUG on, as a separate module, and the matrix runs with it as ROOT_URLCONF.
"""

import importlib.util

from django.test import override_settings

_spec = importlib.util.find_spec("sciencebridge.urls")
_module = importlib.util.module_from_spec(_spec)
with override_settings(DEBUG=True):
    _spec.loader.exec_module(_module)

urlpatterns = _module.urlpatterns
