"""The preview lets the office say where the tasks are (the part, the numbering) and reads again."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.plans.models import Plan
from tests.conftest import ONCE
from tests.plans import upload_token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures(ONCE)]

DOCUMENT = """某市改革方案
一、总体要求
（一）目标。到2025年完成。
二、重点任务
（一）优化营商环境
1.推行一网通办。（市政务服务中心负责）
2.推行证照分离。（市市场监管局负责）
（二）扩大开放
1.开通货运航线。（市交通局负责）
"""


def test_the_office_chooses_the_numbering_of_the_tasks_and_confirms_that_reading(office):
    preview = office.post(
        "/plans/upload/", {"file": SimpleUploadedFile("plan.txt", DOCUMENT.encode()), "level": ""}
    )
    page = preview.content.decode()
    assert "任务 2 项、举措 3 项" in page  # read on its own: （一） are tasks
    assert "二、重点任务（1. （一））" in page  # the parts offered, with their numbering
    token = upload_token(page)
    again = office.post(
        "/plans/upload/",
        {"token": token, "name": "plan.txt", "level": "", "tasks_in": "二", "task_style": "1."},
    )
    page = again.content.decode()
    assert again.status_code == 200 and "任务 3 项、举措 3 项" in page
    assert upload_token(page) == token  # the same upload
    office.post(
        "/plans/confirm/",
        {"token": token, "name": "plan.txt", "level": "", "tasks_in": "二", "task_style": "1."},
    )
    plan = Plan.objects.get(source_name="plan.txt")
    assert [t.title for t in plan.tasks.order_by("number")] == [
        "推行一网通办。",
        "推行证照分离。",
        "开通货运航线。",
    ]


def test_a_part_that_does_not_exist_is_refused_with_the_parts_there_are(office):
    preview = office.post(
        "/plans/upload/", {"file": SimpleUploadedFile("plan.txt", DOCUMENT.encode()), "level": ""}
    )
    token = upload_token(preview.content.decode())
    again = office.post("/plans/upload/", {"token": token, "name": "plan.txt", "tasks_in": "九"})
    assert again.status_code == 422
    assert "没有“九”部分，各部分为：一、总体要求；二、重点任务" in again.content.decode()
