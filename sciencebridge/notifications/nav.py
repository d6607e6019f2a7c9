from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext


def _label(user) -> str:
    from .selectors import unread_count

    n = unread_count(user)
    return gettext("Notifications (%(n)d)") % {"n": n} if n else gettext("Notifications")


def items(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return []
    # Lazy: the unread count is queried only when a page actually renders the navigation.
    return [(lazy(_label, str)(user), reverse("notifications:list"))]
