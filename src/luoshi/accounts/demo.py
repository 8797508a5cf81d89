"""Demo accounts for `make run`: generated passwords, kept in the data directory, never in settings."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction

from luoshi.accounts.models import Role
from luoshi.accounts.services import membership_set
from luoshi.plans.models import Level, Organisation, OrganisationKind, Plan

OFFICE_NAME = "片区办"
ADMIN_USERNAME = "admin"  # the development superuser `luoshi bootstrap` makes


@dataclass(frozen=True)
class DemoAccount:
    username: str
    name: str
    role: Role
    organisation: str | None


DEMO_ACCOUNTS = [
    DemoAccount("office", "片区办管理员", Role.OFFICE, OFFICE_NAME),
    DemoAccount("leader", "分管领导", Role.LEADER, None),
    DemoAccount("evaluator", "第三方评估机构", Role.EVALUATOR, None),
    DemoAccount("auditor", "审计管理员", Role.AUDITOR, None),
    DemoAccount("sysadmin", "系统管理员", Role.SYSADMIN, None),
    DemoAccount("secadmin", "安全管理员", Role.SECADMIN, None),
    DemoAccount("scjg-tb", "市场监管局填报人", Role.REPORTER, "市市场监管局"),
    DemoAccount("scjg-sh", "市场监管局审核人", Role.HEAD, "市市场监管局"),
    DemoAccount("hg-tb", "岳阳海关填报人", Role.REPORTER, "岳阳海关"),
    DemoAccount("hg-sh", "岳阳海关审核人", Role.HEAD, "岳阳海关"),
    DemoAccount("rmyh-tb", "人民银行填报人", Role.REPORTER, "市人民银行"),
    DemoAccount("rmyh-sh", "人民银行审核人", Role.HEAD, "市人民银行"),
]


DEMO_UNITS = {a.organisation for a in DEMO_ACCOUNTS if a.role == Role.REPORTER}


def demo_accounts_ensure(secret_file: Path) -> dict[str, str]:
    """Create the demo accounts once; later runs return the passwords kept in `secret_file`."""
    known: dict[str, str] = json.loads(secret_file.read_text()) if secret_file.exists() else {}
    with transaction.atomic():
        Organisation.objects.get_or_create(
            name=OFFICE_NAME, defaults={"kind": OrganisationKind.INSTITUTION, "level": Level.CITY}
        )
        for account in DEMO_ACCOUNTS:
            user = User.objects.filter(username=account.username).first()
            if user is not None and account.username in known:
                continue
            password = secrets.token_urlsafe(9)
            user = user or User(username=account.username, last_name=account.name)
            user.email = f"{account.username}@example.gov.cn"
            user.set_password(password)
            user.save()
            organisation = (
                Organisation.objects.get(name=account.organisation)
                if account.organisation
                else None
            )
            membership_set(
                user=user, role=account.role, organisation=organisation or None, actor=None
            )
            known[account.username] = password
    secret_file.write_text(json.dumps(known, ensure_ascii=False, indent=1))
    secret_file.chmod(0o600)
    return known


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = [
    "建国",
    "志强",
    "海燕",
    "晓东",
    "丽华",
    "明辉",
    "春梅",
    "卫平",
    "文静",
    "国庆",
    "红霞",
    "立新",
]
POSTS = ("科长", "副局长")


def demo_people_ensure(plan: Plan) -> int:
    """Two 责任人 records for every unit with duties in the plan (a 科长 and a 副局长, the demo
    departments' 科长 linked to their reporter's login), named for each of the unit's measures.
    Written in bulk like the rest of the demo: no audit rows. Returns the records written."""
    from random import Random

    from luoshi.accounts.models import Person, ResponsiblePerson
    from luoshi.accounts.selectors import unit_accounts
    from luoshi.plans.models import Responsibility

    duties = Responsibility.objects.filter(measure__task__plan=plan).values_list(
        "organisation_id", "measure_id"
    )
    by_unit: dict[int, list[int]] = {}
    for organisation_id, measure_id in duties:
        by_unit.setdefault(organisation_id, []).append(measure_id)
    rng, written = Random(plan.pk), 0
    with transaction.atomic():
        for organisation in Organisation.objects.filter(pk__in=by_unit).order_by("pk"):
            if Person.objects.filter(organisation=organisation).exists():
                continue
            accounts = {m.role: m.user for m in unit_accounts(organisation)}
            records = [
                Person.objects.create(
                    organisation=organisation,
                    name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                    post=post,
                    office_phone=f"0730-8{rng.randrange(10**6):06d}",
                    mobile=f"139{rng.randrange(10**8):08d}",
                    email=f"zrr{organisation.pk}-{index}@example.gov.cn",
                    user=accounts.get(Role.REPORTER)
                    if index == 0 and organisation.name in DEMO_UNITS
                    else None,
                )
                for index, post in enumerate(POSTS)
            ]
            ResponsiblePerson.objects.bulk_create(
                ResponsiblePerson(
                    measure_id=measure_id,
                    organisation=organisation,
                    person=records[position % 2],
                    set_by=accounts.get(Role.HEAD),
                )
                for position, measure_id in enumerate(sorted(set(by_unit[organisation.pk])))
            )
            written += len(records)
    return written
