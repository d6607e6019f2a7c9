"""Log in with the e-mail address (what people register with) or, for older accounts, the username."""

from functools import cache

from axes.backends import AxesStandaloneBackend
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db.models import Aggregate, OuterRef, Subquery, TextField, Value
from rules.permissions import permissions as rule_permissions

from sciencebridge.core.precompiled import Precompiled


@cache
def _model_permissions() -> frozenset[str]:
    """Every permission a database row can stand for: each model's default and ``Meta.permissions``
    (nothing in the project creates other ``Permission`` rows)."""
    names = set()
    for model in apps.get_models():
        opts = model._meta
        names.update(f"{opts.app_label}.{a}_{opts.model_name}" for a in opts.default_permissions)
        names.update(f"{opts.app_label}.{code}" for code, _label in opts.permissions)
    return frozenset(names)


def granted_by_rule_only(perm: str) -> bool:
    """A permission that only a rule defines (``rules.add_perm``, no model's): no database row grants
    it, and the rules backend before this one has already answered."""
    return perm in rule_permissions and perm not in _model_permissions()


#: Between role names in one string; a group's name is a role code (``accounts.roles.Role``).
_SEPARATOR = "\x1f"


class _Joined(Aggregate):
    """The values of a text column joined by ``_SEPARATOR`` (PostgreSQL ``STRING_AGG``, SQLite
    ``GROUP_CONCAT``)."""

    function = "STRING_AGG"
    output_field = TextField()

    def __init__(self, column: str):
        super().__init__(column, Value(_SEPARATOR))

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra)


def _role_names() -> Subquery:
    """The user's group names as one string (NULL for none), read with the user."""
    groups = Group.objects.filter(user=OuterRef("pk")).order_by()
    return Subquery(groups.annotate(g=Value(1)).values("g").annotate(n=_Joined("name")).values("n"))


def _signed_in_user(user_id):
    # The signed-in user of every request, with their agency, which the officers' pages name in
    # their heading (the call list, the desk), and their roles, which nearly every page asks about
    # (``User.role_codes``): two queries fewer on each. Compiled once (``core.precompiled``): 1.33 ->
    # 0.34 ms a request (issue 16).
    return (
        get_user_model()
        ._default_manager.select_related("agency")
        .annotate(_role_names=_role_names())
        .filter(pk=user_id)
        .order_by()[:1]
    )


_SIGNED_IN_USER = Precompiled(_signed_in_user, -(2**62) - 17)  # a stand-in id that no user has


class EmailOrUsernameBackend(ModelBackend):
    def has_perm(self, user_obj, perm, obj=None):
        # Asked of a rule's permission the rule refused, ModelBackend would load all the user's
        # permissions from the database to find it absent: two queries, 2 ms of every page whose
        # navigation asks (issue 16).
        if granted_by_rule_only(perm):
            return False
        return super().has_perm(user_obj, perm, obj)

    def get_user(self, user_id):
        user = _SIGNED_IN_USER.first(user_id)
        if user is None or not self.user_can_authenticate(user):
            return None
        names = user.__dict__.pop("_role_names")
        user.__dict__["role_codes"] = frozenset(names.split(_SEPARATOR) if names else ())
        return user

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
