"""django-money's query comprehension, done by the queryset's class instead of per queryset.

django-money lets a money model be queried with money values: ``filter(amount=Money(5, "HKD"))``
becomes ``filter(amount=5, amount_currency="HKD")``. It does so by making the model's managers
return querysets whose ``filter``, ``exclude``, ``get``, ``get_or_create``, ``update``, ``order_by``
and ``distinct`` are instance attributes wrapping the real methods (``functools.wraps``), made again
on each queryset those methods return. A page reading 50 proposals with their budgets and halves
built thousands of such wrappers: 16 % of the API proposal list's time (``bench/scale.py profile``).

``install()`` (``CoreConfig.ready``) replaces django-money's hook so that the same querysets get,
instead, a subclass of their class whose seven methods expand the same arguments with
django-money's own functions. The queries are the same, and a queryset keeps the expansion after
any method (django-money's instance wrappers were lost on ``annotate``, ``select_related``...).
"""

from __future__ import annotations

from functools import cache

from django.db.models import QuerySet
from djmoney.models import managers as djmoney_managers

_expand_args = djmoney_managers._expand_money_args
_expand_kwargs = djmoney_managers._expand_money_kwargs


class MoneyComprehension:
    """Mixed into a money model's queryset class (``money_queryset_class``)."""

    def _expanded(self, args, kwargs, exclusions=()):
        return _expand_kwargs(self.model, _expand_args(self.model, args), dict(kwargs), exclusions)

    def filter(self, *args, **kwargs):
        args, kwargs = self._expanded(args, kwargs)
        return super().filter(*args, **kwargs)

    def exclude(self, *args, **kwargs):
        args, kwargs = self._expanded(args, kwargs)
        return super().exclude(*args, **kwargs)

    def get(self, *args, **kwargs):
        args, kwargs = self._expanded(args, kwargs)
        return super().get(*args, **kwargs)

    def get_or_create(self, defaults=None, **kwargs):
        if defaults is not None:
            kwargs["defaults"] = defaults
        _args, kwargs = self._expanded((), kwargs, exclusions=("defaults",))
        return super().get_or_create(**kwargs)

    def update(self, **kwargs):
        _args, kwargs = self._expanded((), kwargs)
        return super().update(**kwargs)

    def order_by(self, *field_names):
        return super().order_by(*_expand_args(self.model, field_names))

    def distinct(self, *field_names):
        return super().distinct(*_expand_args(self.model, field_names))


@cache
def money_queryset_class(cls: type[QuerySet]) -> type[QuerySet]:
    if issubclass(cls, MoneyComprehension):
        return cls
    return type(f"Money{cls.__name__}", (MoneyComprehension, cls), {"__module__": __name__})


def _comprehension_by_class(queryset):
    if isinstance(queryset, QuerySet):
        queryset.__class__ = money_queryset_class(type(queryset))
    return queryset


def install() -> None:
    """Make django-money's managers (and the related managers built on them) hand out
    ``MoneyComprehension`` querysets instead of wrapping each queryset's methods."""
    djmoney_managers.add_money_comprehension_to_queryset = _comprehension_by_class
