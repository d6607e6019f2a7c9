"""Django's PostgreSQL backend, with server-side parameters for every statement that the protocol
can carry (settings: prepared statements, issue 16), and a faster reading of ``timestamptz``.

The protocol takes at most 65,535 parameters in one statement; Django does not split
``bulk_create`` or ``pk__in=[...]`` for PostgreSQL, and with client-side parameters (Django's
default) such statements worked. A statement with more parameters is bound on the client instead,
as before, and is not prepared."""

from datetime import datetime
from functools import lru_cache

import psycopg
from django.conf import settings
from django.db.backends.postgresql import base
from django.db.backends.postgresql.psycopg_any import BaseTzLoader, get_adapters_template

MAX_SERVER_PARAMETERS = 65_535


class ServerBindingCursor(base.ServerBindingCursor):
    def execute(self, query, params=None, **kwargs):
        if params is not None and len(params) > MAX_SERVER_PARAMETERS:
            query = psycopg.ClientCursor(self.connection).mogrify(query, params)
            return super().execute(query, None, prepare=False)
        return super().execute(query, params, **kwargs)


class IsoTzLoader(BaseTzLoader):
    """Django's ``timestamptz`` loader, reading the value with ``datetime.fromisoformat`` (C).

    Django's loader is psycopg's pure-Python parser (a regular expression, then arithmetic on the
    offset): 3.8 us a value against 1.3 here, ~0.75 ms of the officer's call list (~300 values). The
    connection is in UTC (Django sets it so), so PostgreSQL writes every value with offset ``+00``;
    such a value is the same instant, and the same ``datetime``, whichever way it is parsed. Any
    other text (another offset, ``infinity``, a year past 9999, BC) goes to Django's loader, as
    before."""

    def load(self, data):
        try:
            value = datetime.fromisoformat(str(data, "ascii"))
        except ValueError:
            return super().load(data)
        if value.utcoffset():
            return super().load(data)
        return value.replace(tzinfo=self.timezone)


@lru_cache
def adapters_template(use_tz: bool, timezone):
    """Django's adapters for new connections (``get_adapters_template``), with ``IsoTzLoader``. Its
    ``timezone`` is the connection's, so Django's ``create_cursor`` keeps it (it registers its own
    loader on a cursor whose loader's ``timezone`` differs)."""
    template = psycopg.adapt.AdaptersMap(get_adapters_template(use_tz, timezone))
    loader = type("SpecificIsoTzLoader", (IsoTzLoader,), {"timezone": timezone})
    template.register_loader("timestamptz", loader)
    return template


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        if params.get("cursor_factory") is base.ServerBindingCursor:
            params["cursor_factory"] = ServerBindingCursor
        params["context"] = adapters_template(settings.USE_TZ, self.timezone)
        return params
