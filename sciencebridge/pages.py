"""Site-wide pages that belong to no app: help and contact, and the favicon at the address browsers ask for."""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control


def help_page(request):
    return render(request, "help.html", {"support_email": settings.SUPPORT_EMAIL})


@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the static file (hashed in production)."""
    return HttpResponseRedirect(static("favicon.ico"))
