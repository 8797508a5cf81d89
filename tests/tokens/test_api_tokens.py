"""API tokens for other systems: a provincial platform reads status, a unit's system reports on its own
measures; scopes per endpoint, objects per unit, revoked/expired tokens refused, rate limit, audit."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client

from luoshi.audit.actions import AuditAction
from luoshi.audit.models import AuditEvent, Outcome
from luoshi.plans.models import Measure, Organisation
from luoshi.progress.models import Report
from luoshi.progress.services import cycle_open_month, report_draft
from luoshi.tokens.models import ApiToken, Scope
from luoshi.tokens.services import token_create, token_revoke
from tests.conftest import client_for, import_bundled_plan, make_people, shared_world

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with shared_world(django_db_blocker):
        plan = import_bundled_plan()
        people = make_people()
        cycle = cycle_open_month(plan=plan, year=2021, month=6, actor=people.office)
        market = Organisation.objects.get(name="市市场监管局")
        province = token_create(
            actor=people.secadmin,
            name="省发展改革委平台",
            organisation=None,
            scopes=[Scope.STATUS_READ],
        )
        unit = token_create(
            actor=people.secadmin,
            name="市场监管局业务系统",
            organisation=market,
            scopes=[Scope.REPORTS_READ, Scope.REPORTS_WRITE],
        )
        yield {
            "plan": plan,
            "people": people,
            "cycle": cycle,
            "market": market,
            "province": province,
            "unit": unit,
        }


def bearer(secret: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {secret}"})


def refusals(since: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(id__gt=since, outcome=Outcome.REFUSED))


def last_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_a_provincial_platform_reads_status_and_the_upward_export(world):
    client = bearer(world["province"].secret)
    status = client.get("/api/metrics/status?as_of=2021-06-30")
    assert status.status_code == 200, status.content
    assert "rate" in json.dumps(status.json())
    upward = client.get("/api/documents/upward?as_of=2021-06-30")
    assert upward.status_code == 200, upward.content
    assert json.loads(upward.content)["format"] == "luoshi-upward/1"
    workbook = client.get("/api/documents/upward?as_of=2021-06-30&format=xlsx")
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"
    assert client.get("/api/plans").status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/reports"),  # reports:read it does not hold
        ("post", "/api/reports"),  # reports:write
        ("get", "/api/audit"),  # open to no token
        ("get", "/api/me"),
        ("get", "/api/metrics/scores?start=2021-01-01&end=2021-12-31"),
        ("get", "/api/documents/briefing"),
    ],
)
def test_a_token_is_refused_outside_its_scopes_and_the_refusal_audited(world, method, path):
    since = last_id()
    response = bearer(world["province"].secret).generic(
        method.upper(), path, "{}", content_type="application/json"
    )
    assert response.status_code == 403, response.content
    (row,) = refusals(since)
    assert row.username == "api:省发展改革委平台"
    assert row.detail["token"] == world["province"].token.prefix


def test_a_unit_system_reports_on_its_own_measures_only(world):
    client = bearer(world["unit"].secret)
    own = Measure.objects.get(task__plan=world["plan"], task__number=83, number=2)
    other = (
        Measure.objects.filter(task__plan=world["plan"])
        .exclude(responsibilities__organisation=world["market"])
        .first()
    )
    assert other is not None
    body = {"measure_id": own.pk, "cycle_id": world["cycle"].pk, "work_done": "系统报送"}
    created = client.post("/api/reports", body, content_type="application/json")
    assert created.status_code == 201, created.content
    report = Report.objects.get(pk=created.json()["id"])
    drafted = AuditEvent.objects.get(action=AuditAction.REPORT_DRAFT, object_id=str(report.pk))
    assert drafted.username == "api:市场监管局业务系统"  # the trail names the system
    submitted = client.post(
        f"/api/reports/{report.pk}/transitions",
        {"action": "submit", "version": report.version},
        content_type="application/json",
    )
    assert submitted.status_code == 200, submitted.content
    since = last_id()
    foreign = client.post(
        "/api/reports", body | {"measure_id": other.pk}, content_type="application/json"
    )
    assert foreign.status_code in (403, 404), foreign.content
    assert len(refusals(since)) == 1
    assert not Report.objects.filter(measure=other).exists()
    listed = client.get("/api/reports").json()
    led = set(
        Measure.objects.filter(responsibilities__organisation=world["market"]).values_list(
            "pk", flat=True
        )
    )
    assert listed and {r["measure_id"] for r in listed} <= led
    # A unit's system is a reporter: approving is its head's, not the token's.
    approve = client.post(
        f"/api/reports/{report.pk}/transitions",
        {"action": "approve", "version": report.version + 1},
        content_type="application/json",
    )
    assert approve.status_code in (403, 409), approve.content


def test_another_units_report_is_not_found_for_a_unit_token(world):
    customs = world["people"].customs_reporter
    own = Measure.objects.get(task__plan=world["plan"], task__number=83, number=2)
    report = report_draft(measure=own, cycle=world["cycle"], actor=world["people"].market_reporter)
    assert bearer(world["unit"].secret).get(f"/api/reports/{report.pk}").status_code == 200
    customs_token = token_create(
        actor=None,
        name="海关系统",
        organisation=customs.membership.organisation,
        scopes=[Scope.REPORTS_READ],
    )
    # A draft is its own unit's until submitted: the other unit's system does not see it.
    assert bearer(customs_token.secret).get(f"/api/reports/{report.pk}").status_code == 404


def test_revoked_expired_and_unknown_tokens_are_refused_and_audited(world):
    people = world["people"]
    issued = token_create(
        actor=people.secadmin, name="临时", organisation=None, scopes=[Scope.STATUS_READ]
    )
    client = bearer(issued.secret)
    assert client.get("/api/plans").status_code == 200
    token_revoke(actor=people.secadmin, token=issued.token)
    since = last_id()
    assert client.get("/api/plans").status_code == 401
    (row,) = refusals(since)
    assert row.detail["state"] == "revoked" and row.username == "api:临时"

    expiring = token_create(
        actor=people.secadmin,
        name="到期",
        organisation=None,
        scopes=[Scope.STATUS_READ],
        expires_on=dt.date.today(),
    )
    assert bearer(expiring.secret).get("/api/plans").status_code == 200
    ApiToken.objects.filter(pk=expiring.token.pk).update(
        expires_on=dt.date.today() - dt.timedelta(days=1)
    )
    since = last_id()
    assert bearer(expiring.secret).get("/api/plans").status_code == 401
    assert refusals(since)[0].detail["state"] == "expired"

    since = last_id()
    assert bearer("lsk_guessed").get("/api/plans").status_code == 401
    assert refusals(since)[0].detail["state"] == "unknown"


def test_the_rate_limit_per_token_answers_429(world, settings):
    settings.LUOSHI_API_TOKEN_RATE = "3/hour"  # fixed windows on the clock: one the test stays in
    client = bearer(world["province"].secret)
    assert [client.get("/api/plans").status_code for _ in range(4)] == [200, 200, 200, 429]
    # Another token has its own count, and signed-in people are not counted here.
    assert bearer(world["unit"].secret).get("/api/cycles").status_code == 200
    assert client_for(world["people"].office).get("/api/plans").status_code == 200


def test_only_a_hash_of_the_secret_is_stored(world):
    issued = world["province"]
    stored = ApiToken.objects.filter(pk=issued.token.pk).values().get()
    assert issued.secret not in json.dumps(stored, default=str)
    assert stored["digest"] == hashlib.sha256(issued.secret.encode()).hexdigest()
    assert not issued.token.account.has_usable_password()


def test_uses_are_noted_as_a_last_used_time_not_an_audit_row_per_read(world):
    token = world["unit"].token
    since = last_id()
    client = bearer(world["unit"].secret)
    for _ in range(3):
        assert client.get("/api/cycles").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert not AuditEvent.objects.filter(id__gt=since).exists()


def test_only_the_security_admin_issues_and_revokes_and_both_are_audited(world):
    people = world["people"]
    for actor in (people.office, people.sysadmin, people.market_head):
        since = last_id()
        with pytest.raises(PermissionDenied):
            token_create(actor=actor, name="越权", organisation=None, scopes=[Scope.STATUS_READ])
        assert [r.action for r in refusals(since)] == [AuditAction.TOKEN_CREATE]
        with pytest.raises(PermissionDenied):
            token_revoke(actor=actor, token=world["province"].token)
    assert ApiToken.objects.get(pk=world["province"].token.pk).revoked_at is None
    issued = token_create(
        actor=people.secadmin, name="审计可查", organisation=None, scopes=[Scope.STATUS_READ]
    )
    token_revoke(actor=people.secadmin, token=issued.token)
    actions = (
        AuditEvent.objects.filter(object_type="tokens.apitoken", object_id=str(issued.token.pk))
        .order_by("id")
        .values_list("action", "username")
    )
    assert list(actions) == [
        (AuditAction.TOKEN_CREATE, "secadmin"),
        (AuditAction.TOKEN_REVOKE, "secadmin"),
    ]


def test_a_provincial_platform_cannot_be_given_reports_write(world):
    with pytest.raises(Exception, match="reports:write"):
        token_create(
            actor=world["people"].secadmin,
            name="省平台写",
            organisation=None,
            scopes=[Scope.REPORTS_WRITE],
        )


def test_the_security_admin_issues_and_revokes_on_the_page(world):
    client = client_for(world["people"].secadmin)
    assert client.get("/security/tokens/").status_code == 200
    refused = client.post("/security/tokens/new/", {"name": "页面签发", "scopes": []})
    assert refused.status_code == 422
    assert 'value="页面签发"' in refused.content.decode()  # typed text kept
    page = client.post(
        "/security/tokens/new/",
        {"name": "页面签发", "unit": world["market"].pk, "scopes": ["reports:read"]},
    )
    assert page.status_code == 200
    secret = page.content.decode().split('<code id="token-secret">')[1].split("</code>")[0]
    assert bearer(secret).get("/api/cycles").status_code == 200
    token = ApiToken.objects.get(name="页面签发")
    assert secret not in client.get("/security/tokens/").content.decode()  # shown once
    assert client.post(f"/security/tokens/{token.pk}/revoke/").status_code == 302
    assert bearer(secret).get("/api/cycles").status_code == 401


def test_the_command_line_issues_lists_and_revokes(world):
    out = io.StringIO()
    call_command(
        "token", "create", "命令行平台", "--scope", "status:read", stdout=out, stderr=io.StringIO()
    )
    secret = out.getvalue().strip().rsplit(" ", 1)[1]
    assert bearer(secret).get("/api/metrics/status").status_code == 200
    listed = io.StringIO()
    call_command("token", "list", stdout=listed)
    assert "命令行平台" in listed.getvalue() and secret not in listed.getvalue()
    call_command("token", "revoke", "命令行平台", stdout=io.StringIO())
    assert bearer(secret).get("/api/metrics/status").status_code == 401


def test_a_token_beside_a_session_is_the_token_alone(world):
    client = client_for(world["people"].office)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {world['province'].secret}"
    assert client.get("/api/cycles").status_code == 403  # the office could; the token cannot


def test_a_token_whose_account_is_switched_off_is_refused(world):
    """Deactivating the service account (in the admin) stops its token as it stops a person."""
    from django.contrib.auth.models import User

    people = world["people"]
    issued = token_create(
        actor=people.secadmin, name="停用账号的平台", organisation=None, scopes=[Scope.STATUS_READ]
    )
    client = bearer(issued.secret)
    assert client.get("/api/plans").status_code == 200
    User.objects.filter(pk=issued.token.account_id).update(is_active=False)
    since = last_id()
    assert client.get("/api/plans").status_code == 401
    assert refusals(since)[0].detail["state"] == "inactive"


@pytest.mark.parametrize(
    "header",
    [
        "Bearer ",
        "Bearer lsk_" + "x" * 100_000,
        "Bearer lsk_\t\x7f",
        "bearer   " + "是".encode().decode("latin-1"),
        "Bearer " + "a" * 300,
    ],
)
def test_a_malformed_or_huge_token_is_refused_plainly(world, header):
    since = last_id()
    answer = Client(headers={"Authorization": header}).get("/api/plans")
    assert answer.status_code == 401 and "detail" in answer.json()
    (row,) = refusals(since)
    assert row.detail["state"] == "unknown" and len(row.detail["token"]) <= 10


def test_the_same_name_issued_twice_at_once_is_a_clear_refusal(world):
    """A double submit: the other request takes the name between this one's check and its insert;
    this one is refused naming the field, not a server error."""
    from django.contrib.auth.models import User
    from django.core.exceptions import ValidationError
    from django.db.models.signals import pre_save

    people = world["people"]
    raced: list[User] = []

    def meanwhile(sender, instance, **kwargs):
        if instance.username == "api:同时签发" and instance.pk is None and not raced:
            raced.append(instance)
            User.objects.create_user("api:同时签发")  # the other request's account

    pre_save.connect(meanwhile, sender=User)
    try:
        with pytest.raises(ValidationError) as refused:
            token_create(
                actor=people.secadmin,
                name="同时签发",
                organisation=None,
                scopes=[Scope.STATUS_READ],
            )
    finally:
        pre_save.disconnect(meanwhile, sender=User)
    assert raced and "同时签发" in refused.value.message_dict["name"][0]
    assert not ApiToken.objects.filter(name="同时签发").exists()


def test_the_schema_names_the_bearer_scheme_where_tokens_are_accepted(world):
    schema = client_for(world["people"].office).get("/api/openapi.json").json()
    assert schema["components"]["securitySchemes"]["ApiToken"]["scheme"] == "bearer"
    paths = schema["paths"]
    assert {"ApiToken": ["status:read"]} in paths["/api/plans"]["get"]["security"]
    assert {"ApiToken": ["reports:write"]} in paths["/api/reports"]["post"]["security"]
    # what refuses every token does not offer the scheme
    assert all("ApiToken" not in s for s in paths["/api/cycles"]["post"]["security"])
    assert all("ApiToken" not in s for s in paths["/api/audit"]["get"]["security"])


def test_guessed_tokens_are_throttled_per_address_and_audited_once_per_window(world, settings):
    settings.LUOSHI_API_BAD_TOKEN_RATE = "3/min"
    since = last_id()
    guesser = [bearer(f"lsk_guess{n}") for n in range(6)]
    assert [c.get("/api/plans").status_code for c in guesser] == [401, 401, 401, 429, 429, 429]
    rows = refusals(since)
    assert len(rows) == 4 and [r.detail.get("throttled") for r in rows].count(True) == 1
    # another address is counted on its own; a good token from the flooded one is unaffected
    other = Client(headers={"Authorization": "Bearer lsk_other"}, REMOTE_ADDR="10.0.0.9")
    assert other.get("/api/plans").status_code == 401
    assert bearer(world["province"].secret).get("/api/plans").status_code == 200
