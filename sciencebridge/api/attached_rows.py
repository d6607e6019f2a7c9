"""A list whose page is chosen on ids, then only the page's rows read, with what their JSON shows
attached by the view (``with_rows``, e.g. with ``core.prefetched.attach_rows``) instead of joined
or prefetched per row: on a national call's 4,400 proposals the planner otherwise joins and sorts
them all to keep 50 (issue 16). The detail goes through the same ``with_rows``."""

from sciencebridge.accounts.models import User
from sciencebridge.core.first_rows import narrow_ids, rows_in_order
from sciencebridge.core.precompiled import RowsByIds

#: Users by id with only what a list's JSON shows of them, their names (for ``attach_one``).
USER_NAMES = RowsByIds("pk", lambda: User.objects.only("username", "first_name", "last_name"))


class AttachedRowsMixin:
    def with_rows(self, objects: list) -> list:
        """``objects`` (a page, or the one detail) with what their JSON reads attached."""
        raise NotImplementedError

    def kept_ids(self, queryset):
        """The ids of the whole list in order, when the view keeps them between requests; None to
        read them from ``queryset``."""
        return None

    def forget_kept_ids(self) -> None:
        """A kept id of the page has no row any more: read the ids afresh next time."""

    def paginate_queryset(self, queryset):
        kept = self.kept_ids(queryset)
        ids = super().paginate_queryset(narrow_ids(queryset) if kept is None else kept)
        if ids is None:
            return None
        rows = rows_in_order(queryset, ids)
        if kept is not None and len(rows) < len(ids):
            self.forget_kept_ids()
        return self.with_rows(rows)

    def get_object(self):
        return self.with_rows([super().get_object()])[0]
