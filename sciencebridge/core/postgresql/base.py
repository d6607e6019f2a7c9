"""Django's PostgreSQL backend, with server-side parameters for every statement that the protocol
can carry (settings: prepared statements, issue 16).

The protocol takes at most 65,535 parameters in one statement; Django does not split
``bulk_create`` or ``pk__in=[...]`` for PostgreSQL, and with client-side parameters (Django's
default) such statements worked. A statement with more parameters is bound on the client instead,
as before, and is not prepared."""

import psycopg
from django.db.backends.postgresql import base

MAX_SERVER_PARAMETERS = 65_535


class ServerBindingCursor(base.ServerBindingCursor):
    def execute(self, query, params=None, **kwargs):
        if params is not None and len(params) > MAX_SERVER_PARAMETERS:
            query = psycopg.ClientCursor(self.connection).mogrify(query, params)
            return super().execute(query, None, prepare=False)
        return super().execute(query, params, **kwargs)


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        if params.get("cursor_factory") is base.ServerBindingCursor:
            params["cursor_factory"] = ServerBindingCursor
        return params
