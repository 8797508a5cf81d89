"""责任人 as person records: kept by the unit's head, named per measure, printed in the paperwork;
the accounts named before become records without losing anyone."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from openpyxl.worksheet.worksheet import Worksheet
from playwright.sync_api import expect

from luoshi.accounts.models import Person, ResponsiblePerson
from luoshi.accounts.services import person_save, responsible_person_set
from luoshi.audit.models import AuditEvent
from luoshi.paperwork.workplan import workplan_xlsx
from luoshi.plans.models import Measure, Organisation


def first_sheet(workbook: bytes) -> Worksheet:
    sheet = openpyxl.load_workbook(io.BytesIO(workbook)).active
    assert isinstance(sheet, Worksheet)
    return sheet


FIELDS = {
    "name": "周建国",
    "post": "注册许可科科长",
    "office_phone": "0730-8123456",
    "mobile": "13907301234",
    "email": "zhou@example.gov.cn",
}


@pytest.mark.django_db
def test_the_head_keeps_the_units_people_and_names_them(people, market_measure):
    market = Organisation.objects.get(name="市市场监管局")
    person = person_save(actor=people.market_head, organisation=market, fields=FIELDS)
    responsible_person_set(measure=market_measure, person=person, actor=people.market_head)
    assert ResponsiblePerson.objects.get(measure=market_measure).person == person
    with connection.cursor() as cursor:  # phones and e-mail are encrypted at rest
        cursor.execute("SELECT mobile, email FROM accounts_person WHERE id = %s", [person.pk])
        stored = cursor.fetchone()
    assert all(v.startswith("sm4gcm:") for v in stored) and "13907301234" not in str(stored)
    assert list(
        AuditEvent.objects.filter(username="market_head")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["person_save", "responsible_person_set"]


@pytest.mark.django_db
def test_a_reporter_or_another_unit_cannot_keep_the_units_people(people, market_measure):
    market = Organisation.objects.get(name="市市场监管局")
    with pytest.raises(PermissionDenied):
        person_save(actor=people.market_reporter, organisation=market, fields=FIELDS)
    with pytest.raises(PermissionDenied):
        person_save(actor=people.customs_head, organisation=market, fields=FIELDS)
    assert not Person.objects.exists()
    refused = AuditEvent.objects.filter(action="person_save", outcome="refused")
    assert sorted(refused.values_list("username", flat=True)) == ["customs_head", "market_reporter"]
    customs = Organisation.objects.get(name="岳阳海关")
    theirs = Person.objects.create(organisation=customs, name="海关某人")
    with pytest.raises(ValidationError, match="本单位"):
        responsible_person_set(measure=market_measure, person=theirs, actor=people.market_head)


@pytest.mark.django_db
def test_a_bad_phone_is_refused_naming_the_field_and_nothing_is_stored(people):
    market = Organisation.objects.get(name="市市场监管局")
    with pytest.raises(ValidationError) as error:
        person_save(
            actor=people.market_head, organisation=market, fields=FIELDS | {"mobile": "139abc"}
        )
    assert "mobile" in error.value.message_dict
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_the_workplan_and_ledger_print_name_post_and_phones(people, market_measure):
    from luoshi.paperwork.ledger import ledger_xlsx

    market = Organisation.objects.get(name="市市场监管局")
    person = person_save(actor=people.market_head, organisation=market, fields=FIELDS)
    responsible_person_set(measure=market_measure, person=person, actor=people.market_head)
    plan = market_measure.task.plan
    sheet = first_sheet(workplan_xlsx(plan, market, 2021))
    rows = {r[1]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["10.1"][5:8] == ("周建国", "注册许可科科长", "0730-8123456 / 13907301234")
    assert rows["83.1"][5] == "（待指定）"
    import datetime as dt

    ledger = first_sheet(ledger_xlsx(plan, dt.date(2021, 6, 30), market))
    cells = [
        r for r in ledger.iter_rows(min_row=2, values_only=True) if str(r[0]).endswith("-10.1")
    ]
    assert "周建国 注册许可科科长 0730-8123456" in str(cells[0][5])


@pytest.mark.django_db(transaction=True)
def test_accounts_named_before_become_person_records(django_user_model):
    """The migration: each (unit, account) named as 责任人 becomes one linked record."""
    from tests.conftest import import_bundled_plan

    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0002_encrypted_personal_fields")])
    loader = MigrationExecutor(connection).loader  # the models as the applied migrations left them
    old = loader.project_state(
        [k for k in loader.applied_migrations if k in loader.graph.nodes]
    ).apps
    plan = import_bundled_plan()
    unit = Organisation.objects.get(name="市市场监管局")
    user = django_user_model.objects.create(
        username="scjg", last_name="周建国", email="zhou@example.gov.cn"
    )
    head = django_user_model.objects.create(username="scjg-sh")
    old.get_model("accounts", "Membership").objects.create(
        user_id=user.pk, organisation_id=unit.pk, role="reporter", phone="0730-8123456"
    )
    measures = Measure.objects.filter(task__plan=plan, task__number=83)[:2]
    for m in measures:
        old.get_model("accounts", "ResponsiblePerson").objects.create(
            measure_id=m.pk, organisation_id=unit.pk, person_id=user.pk, set_by_id=head.pk
        )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    [record] = Person.objects.all()
    assert (record.name, record.email, record.office_phone, record.user_id) == (
        "周建国",
        "zhou@example.gov.cn",
        "0730-8123456",
        user.pk,
    )
    assert ResponsiblePerson.objects.filter(person=record).count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_head_adds_a_person_and_names_them_on_the_page(open_page, live_server, people):
    measure = Measure.objects.get(task__plan__isnull=False, task__number=10)
    head = open_page(people.market_head)
    head.set_default_timeout(60000)
    head.goto(live_server.url + "/my/")
    head.get_by_role("link", name="责任人", exact=True).click()
    expect(head.locator("h1")).to_contain_text("市市场监管局 · 责任人")
    # A typo in the mobile number: refused beside the field, everything typed still there.
    head.fill("#new-name", "周建国")
    head.fill("#new-post", "注册许可科科长")
    head.fill("#new-office_phone", "0730-8123456")
    head.fill("#new-mobile", "139o7301234")
    head.fill("#new-email", "zhou@example.gov.cn")
    head.click("#add-person-submit")
    expect(head.locator("#add-person")).to_contain_text("电话号码只能包含数字")
    assert head.input_value("#new-name") == "周建国"
    head.fill("#new-mobile", "13907301234")
    head.click("#add-person-submit")
    expect(head.locator("#people")).to_contain_text("注册许可科科长")
    head.select_option(f"#assign-{measure.pk}", label="周建国（注册许可科科长）")
    head.locator(f"#measure-{measure.pk}").get_by_role("button", name="指定").click()
    expect(head.locator(".messages")).to_contain_text("举措 10.1 的责任人：周建国")
    # The task page and the unit's work plan print them.
    head.goto(live_server.url + f"/tasks/{measure.task_id}/")
    expect(head.locator(f"#measure-{measure.pk}")).to_contain_text(
        "市市场监管局 周建国（注册许可科科长） 办公电话 0730-8123456"
    )
    market = Organisation.objects.get(name="市市场监管局")
    head.goto(live_server.url + "/documents/")
    with head.expect_download() as download:
        head.click(f"a[href$='/documents/workplan/{market.pk}/?format=xlsx']")
    sheet = first_sheet(download.value.path().read_bytes())
    assert ("10.1", "周建国") in [(r[1], r[5]) for r in sheet.iter_rows(values_only=True)]
    # The reporter reads them but has no form.
    reporter = open_page(people.market_reporter)
    reporter.goto(live_server.url + "/people/")
    expect(reporter.locator("#people")).to_contain_text("13907301234")
    assert reporter.locator("#add-person").count() == 0
