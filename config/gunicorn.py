"""gunicorn settings of the production server (`make serve`, `make bench`).

Loopback by default: a reverse proxy (TLS, compression, slow clients) sits in front in production.
Workers: two per core plus one, the usual sizing for a CPU-bound Django app that also waits on
PostgreSQL; each worker runs a few threads so that one waiting on the database does not idle its
core. Every value can be overridden from the environment. No control socket:
gunicorn 27 would create one under the home directory, which may be read-only.
"""

import os

host = os.environ.get("HOST", "127.0.0.1")
port = int(os.environ.get("PORT", "8000"))
bind = f"{host}:{port}"
wsgi_app = "config.wsgi:application"

workers = int(os.environ.get("GUNICORN_WORKERS") or 2 * (os.cpu_count() or 1) + 1)
threads = int(os.environ.get("GUNICORN_THREADS") or 2)
worker_class = "gthread"
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE") or 5)
backlog = 2048
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = 20
# Recycle workers now and then, so a slow leak cannot grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS") or 20000)
max_requests_jitter = max_requests // 10

# Load the application in the master before forking, and the Korean analyser with it (below), so
# that the workers share its memory (~490 MiB) instead of loading one each.
preload_app = True


def when_ready(server):
    """In the master, before the first fork: load Kiwi (core/korean.py; nothing on SQLite). It
    touches neither the database nor the cache, whose connections must not cross a fork."""
    if server.cfg.preload_app:
        from core import korean

        korean.preload()


control_socket_disable = True
# Structured logs come from Django (config/logging.py); gunicorn logs errors to stderr.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "dialogue-atlas"
