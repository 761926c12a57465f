"""Throwaway servers for fault tests: a PostgreSQL cluster of our own, the app under gunicorn.

The cluster is created with initdb in a temporary directory (as the `postgres` OS user when the
tests run as root, since initdb refuses to run as root) on a free port, so a test can stop and
restart it without touching the database the rest of the suite uses.
"""

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"PostgreSQL's {name} is not installed")
    return path


class PostgresCluster:
    """A private PostgreSQL server: `start()`, `stop()`, `url(dbname)`."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="atlas-pg-"))
        self.data = self.dir / "data"
        self.sockets = self.dir / "sockets"
        self.sockets.mkdir()
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.dir, "postgres")
            shutil.chown(self.sockets, "postgres")
        self._run(
            pg_bin("initdb"),
            "-D",
            str(self.data),
            "--auth=trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
        )

    def _run(self, *command, check=True):
        if self.as_postgres:
            command = ("runuser", "-u", "postgres", "--", *command)
        return subprocess.run(command, capture_output=True, text=True, timeout=60, check=check)

    def start(self):
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.sockets} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            pg_bin("pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"), "-w", "start"
        )

    def stop(self):
        self._run(pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    def url(self, dbname: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def psql(self, *args, dbname="postgres", input=None):
        return subprocess.run(
            [
                pg_bin("psql"),
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                dbname,
                *args,
            ],
            input=input,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )

    def destroy(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def copy_test_schema(*, target_url_parts: dict, dbname: str) -> None:
    """Create `dbname` on the target server as a copy of the (committed, empty) test database:
    the migrated schema and the rows migrations create, in a second instead of a full migrate."""
    source = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": source.get("PASSWORD") or ""}
    dump = subprocess.run(
        [
            pg_bin("pg_dump"),
            "--no-owner",
            "--no-privileges",
            "-h",
            source.get("HOST") or "127.0.0.1",
            "-p",
            str(source.get("PORT") or 5432),
            "-U",
            source.get("USER") or "postgres",
            source["NAME"],
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env=env,
    ).stdout
    base = [
        pg_bin("psql"),
        "-X",
        "-q",
        "-v",
        "ON_ERROR_STOP=1",
        "-h",
        target_url_parts["host"],
        "-p",
        str(target_url_parts["port"]),
        "-U",
        "postgres",
    ]
    subprocess.run(
        [*base, "-d", "postgres", "-c", f'CREATE DATABASE "{dbname}"'],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    subprocess.run([*base, "-d", dbname], input=dump, capture_output=True, text=True, timeout=120, check=True)


def app_env(**overrides) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_ENV"))}
    env.update(
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_CONNECT_TIMEOUT="2",
        LOG_LEVEL="CRITICAL",
    )
    env.update(overrides)
    return env


class AppServer:
    """The application under gunicorn (one worker unless told, a few threads) with the given environment."""

    def __init__(self, env: dict, workers: int = 1):
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile(prefix="atlas-app-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--threads",
                "4",
                "--timeout",
                "30",
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.output()}")
            try:
                self.get("/healthz")
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start: {self.output()}")

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")[-5000:]

    def get(self, path: str, headers: dict | None = None, data: bytes | None = None):
        """(status, headers, body) of one request; HTTP errors are answers too."""
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", headers=headers or {}, data=data
        )
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        Path(self.log.name).unlink(missing_ok=True)
