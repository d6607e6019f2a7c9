from rest_framework.permissions import SAFE_METHODS, BasePermission


class ReadOnlyOrRole(BasePermission):
    """Anyone authenticated reads; writing needs one of the view's ``write_roles``."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            return True
        roles = getattr(view, "write_roles", ())
        return any(request.user.has_role(r) for r in roles)
