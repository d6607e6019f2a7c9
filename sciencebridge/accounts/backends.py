"""Log in with the e-mail address (what people register with) or, for older accounts, the username."""

from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class EmailOrUsernameBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        User = get_user_model()
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if not username or password is None:
            return None
        username = username.strip()
        user = User._default_manager.filter(username=username).first()
        if user is None and "@" in username:
            user = User._default_manager.filter(email__iexact=username).first()
        if user is None:
            User().set_password(
                password
            )  # same work as a real check: timing does not tell who exists
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, first in AUTHENTICATION_BACKENDS. Without a request (a shell, a script,
    ``authenticate()`` in a test) there is no client to throttle, so it stands aside instead of raising;
    every log-in path over HTTP (the log-in page, the API token endpoint) passes the request."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
