"""The signed-in user behind ``request.user``.

Django hands views a lazy proxy (``SimpleLazyObject``) that loads the user on first use; every
attribute read afterwards still passes through the proxy's Python code. Code that asks about the
viewer thousands of times in one request (a page of 50 proposals checks the viewer's roles, agency
and institution for each half) takes the user itself once."""

from django.utils.functional import SimpleLazyObject


def unwrapped_user(user):
    """``user`` itself if it is a lazy proxy (loaded now if it was not yet), else ``user``."""
    if isinstance(user, SimpleLazyObject):
        user.is_authenticated  # noqa: B018  (loads the user behind the proxy)
        return user._wrapped
    return user
