import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sciencebridge.settings")
application = get_wsgi_application()

from sciencebridge.core.startup import require_secret_key  # noqa: E402  (needs the settings loaded)

require_secret_key()  # gunicorn and runserver refuse to start without a real key when DEBUG is off
