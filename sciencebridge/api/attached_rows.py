"""A list whose page is chosen on ids, then only the page's rows read, with what their JSON shows
attached by the view (``with_rows``, e.g. with ``core.prefetched.attach_rows``) instead of joined
or prefetched per row: on a national call's 4,400 proposals the planner otherwise joins and sorts
them all to keep 50 (issue 16). The detail goes through the same ``with_rows``."""

from sciencebridge.core.first_rows import narrow_ids, rows_in_order


class AttachedRowsMixin:
    def with_rows(self, objects: list) -> list:
        """``objects`` (a page, or the one detail) with what their JSON reads attached."""
        raise NotImplementedError

    def paginate_queryset(self, queryset):
        ids = super().paginate_queryset(narrow_ids(queryset))
        if ids is None:
            return None
        return self.with_rows(rows_in_order(queryset, ids))

    def get_object(self):
        return self.with_rows([super().get_object()])[0]
