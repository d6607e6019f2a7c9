"""``field__any=[ids]``: ``field = ANY(%s)`` on PostgreSQL, one array parameter for the whole list.

``field__in=ids`` prepares, compiles and sends one parameter per id (``IN (%s, %s, …)``): for the
50-100 ids of a page that is ~0.8 ms of Python per query, and the API's proposal list reads ten
such queries (``bench/scale.py profile``, issue 16). A list of another length is also another
statement, which PostgreSQL prepares again; with an array it is one statement whatever the length,
and no id list can reach the protocol's 65,535 parameters. Other databases get ``IN (…)`` as
before. For integer columns (ids and foreign keys) only: each value is taken as ``int()``."""

from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.models import Lookup
from django.db.models.lookups import In


class AnyOf(Lookup):
    lookup_name = "any"
    prepare_rhs = False

    def get_prep_lookup(self):
        return [int(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        # Django's own ``IN``: it also splits a list longer than a backend allows (Oracle's 1,000).
        return In(self.lhs, self.rhs).as_sql(compiler, connection)

    def as_postgresql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet  # as ``__in=[]``: no query at all
        lhs, lhs_params = self.process_lhs(compiler, connection)
        array_type = self.lhs.output_field.cast_db_type(connection)
        return f"{lhs} = ANY(%s::{array_type}[])", (*lhs_params, self.rhs)


def install() -> None:
    models.IntegerField.register_lookup(AnyOf)  # ids (AutoField, BigAutoField) and integers
    models.ForeignKey.register_lookup(AnyOf)
