"""Real servers for the serving tests: a luoshi database in a directory, gunicorn, and a client.

Everything binds 127.0.0.1 on a free port and is stopped when its context ends."""

from __future__ import annotations

import atexit
import contextlib
import functools
import http.client
import json
import os
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
# A command that hangs fails the test; `luoshi bootstrap` (the whole demo) took over 300 s on the
# shared two-core machine at a load of 15 while another pytest-xdist worker ran beside it.
COMMAND_TIMEOUT = 900
LUOSHI = Path(sys.executable).with_name("luoshi")
CSRF = "c" * 32  # an unmasked CSRF secret: sent as cookie and header, Django accepts the pair


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def production_env(data_dir: Path, database_url: str | None = None, **extra: str) -> dict[str, str]:
    """Production settings over plain HTTP on loopback (TLS is nginx's job in a deployment)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {
        **inherited,
        "LUOSHI_DEBUG": "false",
        "LUOSHI_SECRET_KEY": secrets.token_urlsafe(50),
        "LUOSHI_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LUOSHI_SSL_REDIRECT": "false",
        "LUOSHI_DATA_DIR": str(data_dir),
        "DATABASE_URL": database_url or f"sqlite:///{data_dir / 'luoshi.sqlite3'}",
        "PYTHONPATH": str(ROOT),
        # The fingerprinted static files `make install` collected (production pages name them).
        "LUOSHI_STATIC_ROOT": str(ROOT / "var" / "static"),
        **extra,
    }


def luoshi(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(LUOSHI), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"luoshi {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


@functools.cache
def _migrated_template() -> Path:
    """A SQLite database `luoshi migrate` made, once per test process (migrating takes seconds)."""
    directory = Path(tempfile.mkdtemp(prefix="luoshi-migrated-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    luoshi(production_env(directory), "migrate", "-v0")
    return directory / "luoshi.sqlite3"


def migrated_sqlite(path: Path) -> str:
    """A new SQLite database at `path`, as `luoshi migrate` leaves it, for tests about what comes
    after (tests/security/test_defaults.py checks what migrating itself creates). Copied with
    SQLite's backup API: the template is in WAL mode and may have pages in its -wal file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(_migrated_template()) as template, sqlite3.connect(path) as copy:
        template.backup(copy)
    return f"sqlite:///{path}"


def run_python(env: dict[str, str], code: str) -> object:
    """Run `code` with Django set up against `env`'s database; it prints one JSON value."""
    prelude = "import django, json; django.setup()\n"
    result = subprocess.run(
        [sys.executable, "-c", prelude + code],
        env={**env, "DJANGO_SETTINGS_MODULE": "luoshi.settings"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
    )
    if result.returncode != 0:
        raise AssertionError(result.stdout + result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


@contextlib.contextmanager
def served(env: dict[str, str], workers: int = 4) -> Iterator[int]:
    """`luoshi serve` on a free loopback port; yields the port once /healthz answers."""
    port = free_port()
    log = open(Path(env["LUOSHI_DATA_DIR"]) / f"gunicorn-{port}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [str(LUOSHI), "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(port, "/healthz", process)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def wait_for(port: int, path: str, process: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"server on port {port} exited with {process.returncode}")
        with contextlib.suppress(OSError):
            if Client(port).get(path).status in (200, 401, 403, 404):
                return
        time.sleep(0.2)
    raise AssertionError(f"nothing answered on 127.0.0.1:{port}{path}")


@dataclass
class Response:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Client:
    """A minimal HTTP client holding one session cookie (and the CSRF pair for writes)."""

    port: int
    session: str = ""
    cookie_name: str = "sessionid"

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        cookies = [f"csrftoken={CSRF}"]
        if self.session:
            cookies.append(f"{self.cookie_name}={self.session}")
        sent = {"Cookie": "; ".join(cookies), "X-CSRFToken": CSRF, **(headers or {})}
        try:
            connection.request(method, path, body=body, headers=sent)
            answer = connection.getresponse()
            return Response(answer.status, answer.read(), dict(answer.getheaders()))
        finally:
            connection.close()

    def get(self, path: str, headers: dict[str, str] | None = None) -> Response:
        return self.request("GET", path, headers=headers)

    def send(self, method: str, path: str, data: object) -> Response:
        return self.request(
            method, path, json.dumps(data).encode(), {"Content-Type": "application/json"}
        )


# A session for each named user, created in the database the way a login would.
SESSIONS_CODE = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
from importlib import import_module
from django.conf import settings
store = import_module(settings.SESSION_ENGINE).SessionStore
def session_for(user):
    s = store()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.create()
    return s.session_key
"""


@contextlib.contextmanager
def process(args: list[str], log: Path, ready: tuple[int, str] | None = None) -> Iterator[None]:
    """A server process, stopped at the end; with `ready`, waits until (port, path) answers."""
    with log.open("w") as out:
        running = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
        try:
            if ready is not None:
                wait_for(*ready, running)
            yield
        finally:
            running.terminate()
            try:
                running.wait(timeout=20)
            except subprocess.TimeoutExpired:
                running.kill()
                running.wait()


def wait_for_port(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.2)
    raise AssertionError(f"nothing listens on 127.0.0.1:{port}")
