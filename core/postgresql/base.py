"""Django's PostgreSQL backend, with a health check that does not cost a round trip.

Persistent connections (`CONN_MAX_AGE`) must notice when the server dropped them (a restart, a
failover, an idle timeout), or the next request on them fails. Django's check runs `SELECT 1`
before the first query of every request: a round trip and a statement per request, about a
fifth of the work of a cheap API page. A server that ends a connection tells the client (an
error message, then end of file), so a connection it dropped has something to read while it
sits idle between requests, and a healthy idle one has nothing: asking the socket is enough.

A connection lost without a word (a host that vanished) passes both checks alike until a query
times out; Django then closes it at the end of the request (`close_if_unusable_or_obsolete`).
"""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        if self.pool or self.connection is None or not self.health_check_enabled or self.health_check_done:
            return
        if self.dropped_by_server():
            self.close()
        self.health_check_done = True

    def dropped_by_server(self) -> bool:
        """Whether the idle connection has something to read: the server's goodbye, or its end."""
        try:
            if self.connection.closed or self.connection.broken:
                return True
            readable, _writable, _errors = select.select([self.connection.fileno()], [], [], 0)
        except (OSError, ValueError):  # no socket any more
            return True
        return bool(readable)
