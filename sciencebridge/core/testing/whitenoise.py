"""WhiteNoise for the test settings: the static files found through the finders are listed once per process.

``WhiteNoiseMiddleware`` walks every finder and stats every static file when it is instantiated, and Django's
test ``Client`` instantiates the whole middleware chain anew for each client: about 200 files walked and
stat'ed per client, most of the time of a short test request (the access matrix makes one client per cell).
The files do not change while the tests run, so the table built by the first instance is reused by the
next ones with the same configuration; the middleware serves exactly what it would otherwise.
"""

from django.conf import settings
from whitenoise.middleware import WhiteNoiseMiddleware


class WhiteNoiseFindersOnceMiddleware(WhiteNoiseMiddleware):
    _found: dict = {}

    def add_files_from_finders(self):
        key = (
            self.static_prefix,
            tuple(settings.STATICFILES_FINDERS),
            tuple(str(d) for d in settings.STATICFILES_DIRS),
            tuple(settings.INSTALLED_APPS),
        )
        found = self._found.get(key)
        if found is None:
            before = dict(self.files)
            super().add_files_from_finders()
            found = self._found[key] = {
                url: f for url, f in self.files.items() if before.get(url) is not f
            }
        self.files.update(found)
