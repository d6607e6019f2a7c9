from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext

from sciencebridge.core.probes import Counted, answered


def probes(user):
    """The number of unread notifications, answered with the page's other probes (``core.probes``)."""
    from .selectors import unread

    return {"notifications.unread": Counted(unread(user))}


def _label(request) -> str:
    n = answered(request, "notifications.unread")
    if n is None:  # a page whose probes were not answered
        from .selectors import unread_count

        n = unread_count(request.user)
    return gettext("Notifications (%(n)d)") % {"n": n} if n else gettext("Notifications")


def items(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return []
    # Lazy: the label is made only when a page actually renders the navigation.
    return [(lazy(_label, str)(request), reverse("notifications:list"))]
