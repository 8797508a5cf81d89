"""A token's repeated reads answered from kept bytes first in the chain (api/token_reads.py): to the
same token only, with the chain's headers, and never once the token is revoked, expired, narrowed,
switched off or throttled, nor once the data changed."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from luoshi.audit.models import AuditEvent, Outcome
from luoshi.tokens.models import ApiToken, Scope
from luoshi.tokens.services import token_create, token_revoke
from tests.conftest import (
    client_for,
    import_bundled_plan,
    make_people,
    open_july_cycle,
    shared_world,
)

pytestmark = pytest.mark.django_db
PATH = "/api/plans"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with shared_world(django_db_blocker):
        yield {"plan": import_bundled_plan(), "people": make_people()}


def issue(world, name: str, scopes: list[str], **fields) -> tuple[ApiToken, Client]:
    issued = token_create(
        actor=world["people"].secadmin, name=name, organisation=None, scopes=scopes, **fields
    )
    return issued.token, Client(headers={"Authorization": f"Bearer {issued.secret}"})


def kept(client: Client, path: str = PATH):
    """A read answered without a single query (from the kept bytes), and the answer."""
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(path)
    return len(queries) == 0, answer


def refused_since(since: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(id__gt=since, outcome=Outcome.REFUSED))


def last_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_a_repeat_is_answered_from_the_kept_bytes_with_the_chains_headers(world):
    _, client = issue(world, "省平台", [Scope.STATUS_READ])
    first = client.get(PATH)
    assert first.status_code == 200
    fast, again = kept(client)
    assert fast and again.status_code == 200 and again.content == first.content
    for header in ("Content-Type", "Cache-Control", "Content-Security-Policy", "ETag", "Vary"):
        assert again[header] == first[header], header
    assert "private" in again["Cache-Control"]
    revalidated = client.get(PATH, headers={"if-none-match": again["ETag"]})
    assert revalidated.status_code == 304 and revalidated.content == b""


def test_the_kept_answer_is_the_tokens_own(world):
    """Another token, a person's session, a token without the scope and a guessed one each get
    their own answer (or refusal), never the bytes kept for the first token."""
    _, province = issue(world, "省平台", [Scope.STATUS_READ])
    tasks = f"/api/plans/{world['plan'].pk}/tasks?limit=5"
    mine = province.get(tasks)
    assert mine.status_code == 200 and kept(province, tasks)[0]
    _, other = issue(world, "另一平台", [Scope.STATUS_READ])
    fast, theirs = kept(other, tasks)
    assert not fast and theirs.status_code == 200 and theirs["ETag"] != mine["ETag"]
    person = client_for(world["people"].leader)
    assert person.get(tasks)["ETag"] != mine["ETag"]
    _, narrow = issue(world, "只读报告", [Scope.REPORTS_READ])
    assert narrow.get(tasks).status_code == 403
    guessed = Client(headers={"Authorization": "Bearer lsk_guessed"})
    assert guessed.get(tasks).status_code == 401
    # The same path, another query or language: rendered, not the kept bytes.
    assert not kept(province, tasks + "&offset=5")[0]
    english = province.get(tasks, headers={"accept-language": "en"})
    assert english["ETag"] != mine["ETag"] and english["Content-Language"] == "en"


def test_a_revoked_token_gets_nothing_kept(world):
    token, client = issue(world, "将撤销", [Scope.STATUS_READ])
    client.get(PATH)
    assert kept(client)[0]
    token_revoke(actor=world["people"].secadmin, token=token)
    since = last_id()
    assert client.get(PATH).status_code == 401
    assert refused_since(since)[0].detail["state"] == "revoked"


def test_an_expiry_moved_into_the_past_or_reached_gets_nothing_kept(world):
    token, client = issue(world, "到期", [Scope.STATUS_READ], expires_on=dt.date.today())
    client.get(PATH)
    assert kept(client)[0]
    with time_machine.travel(dt.datetime.now() + dt.timedelta(days=1)):  # its last day is past
        assert client.get(PATH).status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(expires_on=dt.date.today() - dt.timedelta(days=1))
    since = last_id()
    assert client.get(PATH).status_code == 401
    assert refused_since(since)[0].detail["state"] == "expired"


def test_a_scope_taken_away_or_an_account_switched_off_gets_nothing_kept(world):
    token, client = issue(world, "收窄", [Scope.STATUS_READ, Scope.REPORTS_READ])
    client.get(PATH)
    assert kept(client)[0]
    ApiToken.objects.filter(pk=token.pk).update(scopes=[Scope.REPORTS_READ])
    assert client.get(PATH).status_code == 403

    token, client = issue(world, "停用", [Scope.STATUS_READ])
    client.get(PATH)
    assert kept(client)[0]
    User.objects.filter(pk=token.account_id).update(is_active=False)
    assert client.get(PATH).status_code == 401


def test_the_rate_limit_counts_kept_answers_too(world, settings):
    settings.LUOSHI_API_TOKEN_RATE = "3/hour"
    _, client = issue(world, "限速", [Scope.STATUS_READ])
    assert client.get(PATH).status_code == 200
    assert [kept(client)[0], kept(client)[0]] == [True, True]
    assert client.get(PATH).status_code == 429  # the fourth in the window, kept or not


def test_the_last_use_is_still_noted_and_writes_show_at_once(world):
    token, client = issue(world, "记录使用", [Scope.STATUS_READ])
    client.get(PATH)
    token.refresh_from_db()
    noted = token.last_used_at
    assert noted is not None and kept(client)[0]
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=2)):
        fast, _ = kept(client)  # the note is due: the full path runs and makes it
        assert not fast
        token.refresh_from_db()
        assert token.last_used_at is not None and token.last_used_at > noted
        assert kept(client)[0]

    open_july_cycle(world["plan"], world["people"].office)  # a write to the data
    fast, answer = kept(client)
    assert not fast and answer.status_code == 200
