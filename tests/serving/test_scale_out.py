"""Two app servers behind nginx on one PostgreSQL, one S3-compatible object store (SeaweedFS, a
real server) and one Redis: log in through one, the session holds on the other; upload evidence
through one, download it through the other; neither keeps the file on its own disk."""

from __future__ import annotations

import contextlib
import os
import random
import secrets
import shutil
import socket
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.serving.servers import (
    CSRF,
    Client,
    free_port,
    luoshi,
    process,
    production_env,
    run_python,
    served,
    wait_for_port,
)
from tests.variants import BUNDLED

pytestmark = pytest.mark.slow

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"
WEED = str(Path(sys.executable).with_name("weed"))
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n" + os.urandom(4096) + b"\ntrailer <<>>\n%%EOF\n"

WORLD_CODE = """
from django.contrib.auth.models import User
from luoshi.accounts.models import Role
from luoshi.accounts.services import membership_set
from luoshi.plans.models import Measure, Organisation, Plan
from luoshi.progress.services import cycle_open_month, report_draft
plan = Plan.objects.get()
office_org, _ = Organisation.objects.get_or_create(
    name="片区办", defaults={"kind": "institution", "level": "city"})
office = User.objects.create_user("scale-office")  # "office" is a demo name production refuses
membership_set(user=office, role=Role.OFFICE, organisation=office_org, actor=None)
reporter = User.objects.create_user("reporter", password="Scale-out-2026!")
market = Organisation.objects.get(name="市市场监管局")
membership_set(user=reporter, role=Role.REPORTER, organisation=market, actor=None)
cycle = cycle_open_month(plan=plan, year=2021, month=6, actor=office)
measure = Measure.objects.get(task__plan=plan, task__number=10)
print(json.dumps(report_draft(measure=measure, cycle=cycle, actor=reporter).pk))
"""


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    import psycopg

    url = os.environ["DATABASE_URL"]
    name = f"luoshi_scale_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{url.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def object_store(directory: Path) -> Iterator[int]:
    """SeaweedFS (master, volume, filer and S3 gateway) on free loopback ports; yields the S3 port."""
    directory.mkdir()
    # Outside the ephemeral range: weed's components dial each other, and an outgoing connection
    # could take a port picked from that range before the component listening on it has started.
    picked = fixed_ports(8)
    ports = dict(zip(("master", "volume", "filer", "s3"), picked[:4], strict=True))
    grpc = dict(zip(ports, picked[4:], strict=True))
    args = [WEED, "server", f"-dir={directory}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            "-volume.max=64", "-master.volumeSizeLimitMB=16", "-filer", "-s3",
            "-s3.port.iceberg=0", "-s3.port.lance=0", "-metricsPort=0"]  # fmt: skip
    args += [f"-{name}.port={port}" for name, port in ports.items()]
    args += [f"-{name}.port.grpc={port}" for name, port in grpc.items()]
    with process(args, directory / "weed.log"):
        wait_for_port(ports["s3"])
        yield ports["s3"]


def fixed_ports(count: int) -> list[int]:
    found: list[int] = []
    while len(found) < count:
        port = random.randrange(20000, 32000)
        with contextlib.suppress(OSError), socket.socket() as s:
            s.bind(("127.0.0.1", port))
            if port not in found:
                found.append(port)
    return found


def make_bucket(port: int, name: str) -> Any:  # a boto3 S3 client (boto3 has no types)
    import boto3
    from botocore.exceptions import ClientError, EndpointConnectionError

    s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{port}", aws_access_key_id="luoshi",
                      aws_secret_access_key="luoshi-secret", region_name="us-east-1")  # fmt: skip
    for _ in range(100):  # the gateway answers before the filer has a volume to write to
        with contextlib.suppress(ClientError, EndpointConnectionError):
            s3.create_bucket(Bucket=name)
            return s3
        time.sleep(0.3)
    raise AssertionError("the object store never accepted a bucket")


def nginx_conf(directory: Path, port: int, a: int, b: int) -> Path:
    """Round robin over both app servers; `X-App: a|b` picks one, so the test knows which served."""
    conf = directory / "nginx.conf"
    user = "user root;" if os.geteuid() == 0 else ""
    conf.write_text(f"""{user}
worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {directory}/body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
    client_max_body_size 25m;
    upstream luoshi_both {{ server 127.0.0.1:{a}; server 127.0.0.1:{b}; }}
    map $http_x_app $luoshi_backend {{ a 127.0.0.1:{a}; b 127.0.0.1:{b}; default luoshi_both; }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://$luoshi_backend;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        }}
    }}
}}
""")
    return conf


def multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def login(port: int, app: str, username: str, password: str) -> str:
    form = f"csrfmiddlewaretoken={CSRF}&username={username}&password={password}".encode()
    answer = Client(port).request(
        "POST", "/accounts/login/", form,
        {"Content-Type": "application/x-www-form-urlencoded", "X-App": app},
    )  # fmt: skip
    assert answer.status == 302, answer.body[:500]
    cookie = answer.headers["Set-Cookie"]
    return cookie.split("sessionid=", 1)[1].split(";", 1)[0]


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="two app servers share one PostgreSQL: runs when DATABASE_URL points at PostgreSQL",
)
def test_two_app_servers_share_database_files_and_sessions(tmp_path):
    with contextlib.ExitStack() as stack:
        database = stack.enter_context(postgres_database())
        s3_port = stack.enter_context(object_store(tmp_path / "s3"))
        s3 = make_bucket(s3_port, "luoshi")
        redis_port = free_port()
        stack.enter_context(process(
            [REDIS, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            tmp_path / "redis.log",
        ))  # fmt: skip
        wait_for_port(redis_port)
        shared = {
            "LUOSHI_S3_BUCKET": "luoshi",
            "LUOSHI_S3_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}",
            "LUOSHI_S3_ACCESS_KEY": "luoshi",
            "LUOSHI_S3_SECRET_KEY": "luoshi-secret",
            "LUOSHI_S3_REGION": "us-east-1",
            "LUOSHI_REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            # Servers share the keys of personal fields and audit checkpoints, not key files.
            "LUOSHI_FIELD_KEY": secrets.token_urlsafe(40),
            "LUOSHI_AUDIT_KEY": secrets.token_urlsafe(40),
        }
        env_a = production_env(tmp_path / "a", database, **shared)
        env_b = {**production_env(tmp_path / "b", database, **shared),
                 "LUOSHI_SECRET_KEY": env_a["LUOSHI_SECRET_KEY"]}  # fmt: skip
        luoshi(env_a, "migrate", "-v0")
        luoshi(env_a, "import-plan", str(BUNDLED))
        report_id = run_python(env_a, WORLD_CODE)
        port_a = stack.enter_context(served(env_a, workers=2))
        port_b = stack.enter_context(served(env_b, workers=2))
        front = free_port()
        conf = nginx_conf(tmp_path, front, port_a, port_b)
        stack.enter_context(
            process([NGINX, "-c", str(conf), "-g", "daemon off;"], tmp_path / "nginx.log")
        )
        wait_for_port(front)

        for app in "ab":  # both healthy: database and object store reachable
            assert Client(front).get("/healthz", {"X-App": app}).body == b"ok\n"

        session = login(front, "a", "reporter", "Scale-out-2026!")
        client = Client(front, session)
        for app in "ab":  # the session made on A is valid on B (Redis)
            me = client.get("/api/me", {"X-App": app})
            assert me.status == 200 and me.json()["username"] == "reporter", (app, me.body[:300])

        body, content_type = multipart("佐证.pdf", PDF)
        uploaded = client.request(
            "POST", f"/api/reports/{report_id}/evidence", body,
            {"Content-Type": content_type, "X-App": "a"},
        )  # fmt: skip
        assert uploaded.status == 201, uploaded.body[:500]
        evidence_id = uploaded.json()["id"]
        downloaded = client.get(f"/api/evidence/{evidence_id}", {"X-App": "b"})
        assert downloaded.status == 200 and downloaded.body == PDF

        for _ in range(4):  # and round robin, whichever answers
            assert client.get(f"/api/evidence/{evidence_id}").body == PDF

        keys = [o["Key"] for o in s3.list_objects_v2(Bucket="luoshi")["Contents"]]
        assert len(keys) == 1 and keys[0].startswith("evidence/")
        for side in "ab":  # nothing on either server's disk
            assert not list((tmp_path / side).glob("evidence/**/*"))

    log_a = next((tmp_path / "a").glob("gunicorn-*.log")).read_text()
    log_b = next((tmp_path / "b").glob("gunicorn-*.log")).read_text()
    assert f"POST /api/reports/{report_id}/evidence" in log_a
    assert f"GET /api/evidence/{evidence_id}" in log_b
