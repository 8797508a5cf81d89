"""Every role × every URL the application serves. The URL list comes from the URL configuration,
so a new URL without an entry here fails this test until someone decides who may use it."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import ClientHandler
from django.urls import URLPattern, URLResolver, get_resolver

from luoshi.accounts.models import Person
from luoshi.audit.models import AuditEvent, Outcome
from luoshi.cases.services import case_create
from luoshi.consultation.services import comment_submit, period_open
from luoshi.paperwork.ledger import ledger_xlsx
from luoshi.plans.models import Measure
from luoshi.progress.evidence import evidence_add
from luoshi.progress.services import report_draft, report_transition
from luoshi.savedviews.models import SavedView
from luoshi.tokens.services import token_create
from luoshi.versions.services import plan_link
from tests.conftest import (
    PDF,
    import_bundled_plan,
    make_people,
    run_queued_jobs,
    shared_world,
    undone,
)
from tests.ingest.test_outlines import CITY
from tests.versions.links import import_parent

if TYPE_CHECKING:
    pass

pytestmark = pytest.mark.django_db

ANYONE = {
    "anonymous",
    "admin",
    "office",
    "leader",
    "evaluator",
    "auditor",
    "market_reporter",
    "market_head",
    "customs_reporter",
    "sysadmin",
    "secadmin",
    "province",
}
LOGGED_IN = ANYONE - {"anonymous"}
# 三权分立: the superuser (installation), system and security administrators and the auditor
# read no business data and act in no workflow.
ADMINISTRATORS = {"admin", "sysadmin", "secadmin", "auditor"}
READERS = LOGGED_IN - ADMINISTRATORS
SEES_MEASURE_83 = READERS  # 83.x: 市市场监管局 leads, 岳阳海关 supports
SEES_DRAFT = {"market_reporter", "market_head"}  # a draft: its own unit only, until submitted
MARKET = {"market_reporter", "market_head"}
DEPARTMENTS = MARKET | {"customs_reporter"}
OFFICE = {"office"}
OVERSEERS = {"leader", "evaluator", "province"}  # read everything, change nothing
SEES_NOTICE = OFFICE | OVERSEERS | MARKET  # a 督办单 to 市市场监管局
SEES_DRAFT_CASE = OFFICE | OVERSEERS | MARKET  # a draft case of 市市场监管局
CASE_FORM = {
    "title": "案例",
    "category": "trade",
    "level": "city",
    "summary": "简介",
    "tasks": "1",
    "organisation": "{market_id}",  # the office names the unit; a unit's own is implied
}
NOTICE_FORM = {
    "level": "key",
    "reason": "overdue",
    "requirement": "抓紧办理",
    "reply_due": "2099-01-01",
}


@dataclass
class Rule:
    allowed: set[str]
    body: Mapping[str, object] | None = None
    upload: bool = False
    params: dict[str, str] = field(default_factory=dict)
    query: str = ""
    form: bool = False  # a page form (url-encoded), not JSON
    ledger: bool = False  # upload the department's exported ledger instead of a PDF
    plan_file: bool = False  # upload a plan document
    values_file: bool = False  # upload a table of indicator values
    prepare: str = ""  # a step to run before each request (see PREPARE)
    to_login: bool = False  # it ends on the sign-in page by design (logout), not as a refusal


MATRIX: dict[tuple[str, str], Rule] = {
    ("", "GET"): Rule(ANYONE),
    ("accounts/login/", "GET"): Rule(ANYONE),
    ("accounts/logout/", "POST"): Rule(ANYONE, to_login=True),
    ("accounts/password/", "GET"): Rule(LOGGED_IN),
    ("accounts/2fa/", "GET"): Rule(LOGGED_IN),
    ("accounts/2fa/setup/", "GET"): Rule(LOGGED_IN),
    ("security/", "GET"): Rule({"secadmin"}),
    ("security/unlock/", "POST"): Rule({"secadmin"}, {"username": "nobody"}, form=True),
    ("security/otp-reset/", "POST"): Rule(
        {"secadmin"}, {"user": "{market_reporter_id}"}, form=True
    ),
    ("security/tokens/", "GET"): Rule({"secadmin"}),
    ("security/tokens/new/", "POST"): Rule(
        {"secadmin"}, {"name": "矩阵平台", "scopes": "status:read"}, form=True
    ),
    ("security/tokens/{token_id}/revoke/", "POST"): Rule({"secadmin"}, {}, form=True),
    ("admin/", "*"): Rule({"admin", "sysadmin"}),
    ("public/", "GET"): Rule(ANYONE),
    ("healthz", "GET"): Rule(ANYONE),
    ("i18n/setlang/", "POST"): Rule(ANYONE, {"language": "en"}, form=True),
    ("dashboard/", "GET"): Rule(READERS),
    ("my/", "GET"): Rule(DEPARTMENTS),
    ("measures/{measure_id}/report/", "POST"): Rule(
        MARKET, {"cycle": "{cycle_id}"}, form=True, params={"measure_id": "{free_measure_id}"}
    ),
    ("measures/{measure_id}/contribute/", "POST"): Rule(
        {"customs_reporter"}, {"cycle": "{cycle_id}", "text": "配合"}, form=True
    ),
    ("reports/{report_id}/", "GET"): Rule(SEES_DRAFT),
    ("reports/{report_id}/action/", "POST"): Rule(
        {"market_head"},
        {"action": "approve"},
        form=True,
        params={"report_id": "{submitted_report_id}"},
    ),
    ("reports/{report_id}/evidence/", "POST"): Rule(MARKET, upload=True),
    ("reports/{report_id}/publish/", "POST"): Rule(
        OFFICE, {"published": "1"}, form=True, params={"report_id": "{submitted_report_id}"}
    ),
    ("evidence/{evidence_id}/", "GET"): Rule(SEES_DRAFT),
    ("people/", "GET"): Rule(DEPARTMENTS),
    ("people/new/", "POST"): Rule({"market_head"}, {"new-name": "周建国"}, form=True),
    ("people/{person_id}/save/", "POST"): Rule(
        {"market_head"}, {"person-name": "周建国"}, form=True
    ),
    ("people/assign/", "POST"): Rule(
        {"market_head"}, {"measure": "{measure_id}", "person": "{person_id}"}, form=True
    ),
    ("risks/", "GET"): Rule(READERS),
    ("risks/new/", "POST"): Rule(
        OFFICE | DEPARTMENTS,
        {
            "where": "83.1",
            "description": "授权滞后",
            "likelihood": "high",
            "impact": "high",
            "owner": "周建国",
            "mitigation": "协调",
            "review_on": "2099-01-01",
        },
        form=True,
    ),
    ("risks/{risk_id}/close/", "POST"): Rule(OFFICE | MARKET, {}, form=True),
    ("risks/{risk_id}/save/", "POST"): Rule(
        OFFICE | MARKET,
        {
            "description": "授权滞后",
            "likelihood": "medium",
            "impact": "high",
            "owner": "周建国",
            "mitigation": "协调",
            "review_on": "2099-01-01",
            "version": "0",
        },
        form=True,
    ),
    ("funding/", "GET"): Rule(READERS),
    ("funding/new/", "POST"): Rule(
        DEPARTMENTS,
        {
            "where": "83.1",
            "name": "审批系统",
            "source": "city",
            "planned": "100",
            "allocated": "50",
            "spent": "40",
        },
        form=True,
    ),
    ("funding/{project_id}/save/", "POST"): Rule(
        MARKET,
        {
            "where": "83.1",
            "name": "审批系统",
            "source": "city",
            "planned": "100",
            "allocated": "60",
            "spent": "40",
            "version": "0",  # the copy edited (a stale one answers 409 with the current amounts)
        },
        form=True,
    ),
    ("funding/export/", "GET"): Rule(READERS),
    ("workplans/", "GET"): Rule(READERS),
    ("workplans/new/", "POST"): Rule(DEPARTMENTS, {"year": "2030"}, form=True),
    ("workplans/{work_plan_id}/", "GET"): Rule(OFFICE | OVERSEERS | MARKET),
    ("workplans/{work_plan_id}/milestones/new/", "POST"): Rule(
        MARKET,
        {
            "measure": "{measure_id}",
            "due_on": "2021-05-01",
            "deliverable": "细则",
            "result": "文本",
        },
        form=True,
    ),
    ("workplans/{work_plan_id}/submit/", "POST"): Rule({"market_head"}, {}, form=True),
    ("workplans/{work_plan_id}/approve/", "POST"): Rule(
        OFFICE, {}, form=True, params={"work_plan_id": "{submitted_work_plan_id}"}
    ),
    ("workplans/{work_plan_id}/return/", "POST"): Rule(
        OFFICE, {"reason": "补充"}, form=True, params={"work_plan_id": "{submitted_work_plan_id}"}
    ),
    ("workplans/{work_plan_id}/amend/", "POST"): Rule(
        {"market_head"}, {"reason": "调整节点"}, form=True, params={"work_plan_id": "{approved_id}"}
    ),
    ("api/workplans", "GET"): Rule(READERS),
    ("api/workplans/{work_plan_id}", "GET"): Rule(OFFICE | OVERSEERS | MARKET),
    ("api/workplans/{work_plan_id}/submit", "POST"): Rule({"market_head"}, {}),
    ("api/workplans/{work_plan_id}/amend", "POST"): Rule(
        {"market_head"}, {"reason": "调整节点"}, params={"work_plan_id": "{approved_id}"}
    ),
    ("workplans/milestones/{milestone_id}/drop/", "POST"): Rule(MARKET, {}, form=True),
    ("workplans/milestones/{milestone_id}/done/", "POST"): Rule(
        MARKET, {}, form=True, params={"milestone_id": "{approved_milestone_id}"}
    ),
    ("review/", "GET"): Rule(OFFICE),
    ("review/remind/", "POST"): Rule(OFFICE, {}, form=True),
    ("review/bulk/", "POST"): Rule(
        OFFICE, {"action": "accept", "pick": "{submitted_pick}"}, form=True
    ),
    ("review/unpublished/", "GET"): Rule(OFFICE),
    ("review/cycles/", "POST"): Rule(
        OFFICE, {"starts_on": "2021-10-01", "ends_on": "2021-10-31"}, form=True
    ),
    ("plans/", "GET"): Rule(READERS),
    ("plans/upload/", "POST"): Rule(OFFICE, plan_file=True),
    ("plans/confirm/", "POST"): Rule(
        OFFICE, {"token": "matrix0token", "name": "city.txt"}, form=True, prepare="plan_token"
    ),
    ("plans/{plan_id}/choose/", "POST"): Rule(OFFICE, {"action": "public"}, form=True),
    ("plans/{plan_id}/revision.docx", "GET"): Rule(READERS),
    ("plans/{plan_id}/link/", "POST"): Rule(OFFICE, {"parent": "{parent_plan_id}"}, form=True),
    ("plans/{plan_id}/rollup/", "GET"): Rule(READERS, params={"plan_id": "{parent_plan_id}"}),
    ("plans/links/{link_id}/", "GET"): Rule(OFFICE),
    ("plans/links/{link_id}/confirm/", "POST"): Rule(OFFICE, {"parent-{task_id}": ""}, form=True),
    ("consultation/", "GET"): Rule(OFFICE),
    ("consultation/open/", "POST"): Rule(
        OFFICE,
        {"plan": "{plan_id}", "opens_on": "2021-01-20", "closes_on": "2021-02-20"},
        form=True,
    ),
    ("consultation/{period_id}/", "GET"): Rule(OFFICE),
    ("consultation/{period_id}/public/", "GET"): Rule(ANYONE),
    ("consultation/{period_id}/comment/", "POST"): Rule(ANYONE, {"text": "意见"}, form=True),
    ("consultation/{period_id}/table.{fmt}", "GET"): Rule(OFFICE, params={"fmt": "xlsx"}),
    ("consultation/comments/{comment_id}/moderate/", "POST"): Rule(
        OFFICE, {"action": "approve"}, form=True
    ),
    ("tasks/", "GET"): Rule(READERS),
    ("tasks/{task_id}/", "GET"): Rule(READERS),
    ("timeline/", "GET"): Rule(READERS),
    ("calendar/", "GET"): Rule(READERS),
    ("gantt/", "GET"): Rule(READERS),
    ("organisations/", "GET"): Rule(READERS),
    ("organisations/{organisation_id}/", "GET"): Rule(
        READERS, params={"organisation_id": "{market_id}"}
    ),
    ("matrix/", "GET"): Rule(READERS),
    ("kpis/", "GET"): Rule(READERS),
    ("kpis/values/", "GET"): Rule(OFFICE),
    ("kpis/values/template/", "GET"): Rule(OFFICE),
    ("kpis/values/upload/", "POST"): Rule(OFFICE, values_file=True),
    ("kpis/values/confirm/", "POST"): Rule(
        OFFICE, {"token": "matrix0token"}, form=True, prepare="values_token"
    ),
    ("cases/", "GET"): Rule(READERS),
    ("cases/new/", "POST"): Rule(OFFICE | DEPARTMENTS, CASE_FORM, form=True),
    ("cases/{case_id}/", "GET"): Rule(SEES_DRAFT_CASE),
    ("cases/{case_id}/edit/", "POST"): Rule(
        OFFICE | MARKET, {**CASE_FORM, "version": "0"}, form=True
    ),
    ("cases/{case_id}/files/", "POST"): Rule(OFFICE | MARKET, upload=True),
    ("cases/files/{case_file_id}/", "GET"): Rule(SEES_DRAFT_CASE),
    ("cases/{case_id}/step/", "POST"): Rule(OFFICE, {"on": "2021-09-01"}, form=True),
    ("evaluations/", "GET"): Rule(READERS),
    ("evaluations/new/", "POST"): Rule(
        OFFICE | {"evaluator"},
        {"kind": "third_party", "evaluator": "评估机构", "evaluated_on": "2022-01-05"},
        form=True,
    ),
    ("evaluations/framework/", "GET"): Rule(READERS),
    ("evaluations/framework/add/", "POST"): Rule(
        OFFICE, {"name": "企业满意度", "max_score": "20"}, form=True
    ),
    ("evaluations/{evaluation_id}/", "GET"): Rule(READERS),
    ("evaluations/{evaluation_id}/file/", "GET"): Rule(READERS),
    ("evaluations/findings/{finding_id}/assign/", "POST"): Rule(
        OFFICE,
        {"organisation": "{market_id}", "due_on": "2022-06-30", "on": "2022-02-01"},
        form=True,
    ),
    ("evaluations/findings/{finding_id}/respond/", "POST"): Rule(
        MARKET, {"text": "已整改"}, form=True, params={"finding_id": "{open_finding_id}"}
    ),
    ("evaluations/findings/{finding_id}/close/", "POST"): Rule(
        OFFICE, {"on": "2022-05-01"}, form=True, params={"finding_id": "{reported_finding_id}"}
    ),
    ("evaluations/findings/{finding_id}/return/", "POST"): Rule(
        OFFICE, {"comment": "不充分"}, form=True, params={"finding_id": "{reported_finding_id}"}
    ),
    ("cases/{case_id}/classify/", "POST"): Rule(
        OFFICE,
        {
            "on": "2021-09-10",
            "category": "trade",
            "risk": "low",
            "opinion": "同意",
            "result": "pass",
        },
        form=True,
        params={"case_id": "{submitted_case_id}"},
    ),
    ("scores/", "GET"): Rule(OFFICE | OVERSEERS),
    ("audit/", "GET"): Rule({"auditor"}),
    ("documents/", "GET"): Rule(READERS),
    ("documents/briefing/", "GET"): Rule(READERS),
    ("documents/briefing/jobs/{job_id}/", "GET"): Rule(
        {"office"}, params={"job_id": "{briefing_job_id}"}
    ),  # the office's own PDF job: nobody else's
    ("documents/briefing/jobs/{job_id}/file", "GET"): Rule(
        {"office"}, params={"job_id": "{briefing_job_id}"}
    ),
    ("documents/ledger/", "GET"): Rule(READERS),
    ("documents/ledger/upload/", "POST"): Rule(DEPARTMENTS, ledger=True),
    ("documents/ledger/confirm/", "POST"): Rule(
        DEPARTMENTS, {"token": "matrix0token"}, form=True, prepare="ledger_token"
    ),
    ("documents/workplan/{organisation_id}/", "GET"): Rule(
        OFFICE | OVERSEERS | MARKET, params={"organisation_id": "{market_id}"}
    ),
    ("documents/upward.{fmt}", "GET"): Rule(OFFICE | OVERSEERS, params={"fmt": "json"}),
    ("open-data/tasks.{fmt}", "GET"): Rule(ANYONE, params={"fmt": "json"}),
    ("api/documents/briefing", "GET"): Rule(READERS),
    ("api/documents/jobs/{job_id}", "GET"): Rule(
        {"office"}, params={"job_id": "{briefing_job_id}"}
    ),  # the office's own PDF job: nobody else's
    ("api/documents/ledger", "GET"): Rule(READERS),
    ("api/documents/workplan/{organisation_id}", "GET"): Rule(
        OFFICE | OVERSEERS | MARKET, params={"organisation_id": "{market_id}"}
    ),
    ("api/ledger/preview", "POST"): Rule(DEPARTMENTS, ledger=True),
    ("api/ledger/apply", "POST"): Rule(DEPARTMENTS, ledger=True),
    ("api/", "GET"): Rule(set()),  # the API root serves nothing
    ("api/openapi.json", "GET"): Rule(LOGGED_IN),  # LUOSHI_API_SCHEMA_PUBLIC opens it
    ("api/docs", "GET"): Rule(LOGGED_IN),
    ("api/plans", "GET"): Rule(READERS),
    ("api/plans/{plan_id}", "GET"): Rule(READERS),
    ("api/plans/import", "POST"): Rule(OFFICE, plan_file=True),
    ("api/plans/{plan_id}/tasks", "GET"): Rule(READERS),
    ("api/programmes", "GET"): Rule(READERS),
    ("api/plans/{plan_id}/lineage", "GET"): Rule(READERS),
    ("api/plans/{plan_id}/links", "GET"): Rule(READERS),
    ("api/plans/{plan_id}/rollup", "GET"): Rule(READERS, params={"plan_id": "{parent_plan_id}"}),
    ("api/plans/{plan_id}/revisions", "POST"): Rule(OFFICE, plan_file=True, query="?dry_run=true"),
    ("api/tasks/{task_id}", "GET"): Rule(READERS),
    ("api/measures", "GET"): Rule(READERS),
    ("api/organisations", "GET"): Rule(READERS),
    ("api/me", "GET"): Rule(LOGGED_IN),
    ("api/me/measures", "GET"): Rule(READERS),
    ("api/me/reminders", "GET"): Rule(READERS),
    ("api/cycles", "GET"): Rule(READERS),
    ("api/cycles", "POST"): Rule(
        OFFICE, {"plan_id": "{plan_id}", "starts_on": "2021-09-01", "ends_on": "2021-09-30"}
    ),
    ("api/reports", "GET"): Rule(READERS),
    ("api/reports", "POST"): Rule(
        MARKET, {"measure_id": "{free_measure_id}", "cycle_id": "{cycle_id}"}
    ),
    ("api/reports/{report_id}", "GET"): Rule(SEES_DRAFT),
    ("api/reports/{report_id}", "PATCH"): Rule(MARKET, {"version": 1, "percent": 5}),
    ("api/reports/{report_id}/transitions", "POST"): Rule(
        {"market_head"}, {"action": "approve"}, params={"report_id": "{submitted_report_id}"}
    ),
    ("api/reports/{report_id}/evidence", "POST"): Rule(MARKET, upload=True),
    ("api/evidence/{evidence_id}", "GET"): Rule(SEES_DRAFT),
    ("api/measures/{measure_id}/carry-forward", "POST"): Rule(
        MARKET, {"cycle_id": "{next_cycle_id}"}, params={"measure_id": "{submitted_measure_id}"}
    ),
    ("api/measures/{measure_id}/contributions", "POST"): Rule(
        {"customs_reporter"}, {"cycle_id": "{cycle_id}", "text": "配合进展"}
    ),
    ("api/measures/{measure_id}/responsible-person", "PUT"): Rule(
        {"market_head"}, {"user_id": "{market_reporter_id}"}
    ),
    ("api/metrics/status", "GET"): Rule(READERS),
    ("api/metrics/rates", "GET"): Rule(READERS),
    ("api/metrics/lights", "GET"): Rule(READERS),
    ("api/metrics/overdue", "GET"): Rule(READERS),
    ("api/metrics/scores", "GET"): Rule(
        OFFICE | OVERSEERS, query="?start=2021-01-01&end=2021-12-31"
    ),
    ("api/kpis", "GET"): Rule(READERS),
    ("api/kpis/{indicator_id}/observations", "POST"): Rule(OFFICE, {"year": 2021, "value": "56.5"}),
    ("api/cases", "GET"): Rule(READERS),
    ("api/cases", "POST"): Rule(
        OFFICE | MARKET,
        {
            "plan_id": "{plan_id}",
            "title": "案例",
            "level": "city",
            "organisation_id": "{market_id}",
        },
    ),
    ("api/cases/{case_id}/advance", "POST"): Rule(OFFICE, {"on": "2021-09-01"}),
    ("api/evaluations", "GET"): Rule(READERS),
    ("api/evaluations", "POST"): Rule(
        OFFICE | {"evaluator"},
        {
            "task_id": "{task_id}",
            "kind": "third_party",
            "evaluator": "评估机构",
            "evaluated_on": "2022-01-05",
        },
    ),
    ("supervision/", "GET"): Rule(READERS),
    ("supervision/export.xlsx", "GET"): Rule(READERS),
    ("measures/", "GET"): Rule(READERS),
    ("reports/", "GET"): Rule(READERS),
    ("supervision/urge/", "POST"): Rule(OFFICE, {"pick": "{notice_id}"}, form=True),
    ("supervision/measures/urge/", "POST"): Rule(OFFICE, {"pick": "{measure_id}"}, form=True),
    ("supervision/tasks/urge/", "POST"): Rule(OFFICE, {"pick": "{task_id}"}, form=True),
    # Saved filters: anyone who reads lists saves their own; only the owner opens or deletes one.
    ("lists/saved/", "POST"): Rule(READERS, {"list": "tasks", "name": "红灯"}, form=True),
    ("lists/saved/{view_id}/", "GET"): Rule({"market_head"}),
    ("lists/saved/{view_id}/delete/", "POST"): Rule({"market_head"}, {}, form=True),
    ("supervision/notices/new/", "POST"): Rule(
        OFFICE, NOTICE_FORM | {"measure": "83.1"}, form=True
    ),
    ("supervision/notices/{notice_id}/", "GET"): Rule(SEES_NOTICE),
    ("supervision/notices/{notice_id}/docx", "GET"): Rule(SEES_NOTICE),
    ("supervision/notices/{notice_id}/files/{file_id}", "GET"): Rule(
        SEES_NOTICE, params={"notice_id": "{replied_notice_id}"}
    ),
    ("supervision/notices/{notice_id}/issue/", "POST"): Rule(
        OFFICE, NOTICE_FORM, form=True, params={"notice_id": "{proposed_notice_id}"}
    ),
    ("supervision/notices/{notice_id}/drop/", "POST"): Rule(
        OFFICE, {}, form=True, params={"notice_id": "{proposed_notice_id}"}
    ),
    ("supervision/notices/{notice_id}/sign/", "POST"): Rule(MARKET, {}, form=True),
    ("supervision/notices/{notice_id}/reply/", "POST"): Rule(
        MARKET, {"reply": "已办理"}, form=True, params={"notice_id": "{signed_notice_id}"}
    ),
    ("supervision/notices/{notice_id}/close/", "POST"): Rule(
        OFFICE, {}, form=True, params={"notice_id": "{replied_notice_id}"}
    ),
    ("supervision/notices/{notice_id}/return/", "POST"): Rule(
        OFFICE, {"comment": "补充材料"}, form=True, params={"notice_id": "{replied_notice_id}"}
    ),
    ("supervision/measures/{measure_id}/", "GET"): Rule(SEES_MEASURE_83),
    ("supervision/measures/{measure_id}/extensions/new/", "POST"): Rule(
        MARKET,
        {"requested_due": "2099-06-30", "reason": "需省级授权"},
        form=True,
        params={"measure_id": "{free_measure_id}"},
    ),
    ("supervision/extensions/{extension_id}/approve/", "POST"): Rule(OFFICE, {}, form=True),
    ("supervision/extensions/{extension_id}/refuse/", "POST"): Rule(
        OFFICE, {"note": "理由不充分"}, form=True
    ),
    ("supervision/cycles/{cycle_id}/close/", "POST"): Rule(OFFICE, {}, form=True),
    ("supervision/problems/", "GET"): Rule(OFFICE | OVERSEERS),
    ("supervision/channels/", "GET"): Rule(OFFICE),
    ("supervision/channels/add/", "POST"): Rule(
        OFFICE,
        {"kind": "wecom", "organisation": "{market_id}", "url": "https://robot.example.gov.cn/x"},
        form=True,
    ),
    ("supervision/messages/", "GET"): Rule(LOGGED_IN),
    ("supervision/messages/{message_id}/", "GET"): Rule({"market_reporter"}),
    ("supervision/messages/read-all/", "POST"): Rule(LOGGED_IN, {}, form=True),
    ("supervision/measures/{measure_id}/exemptions/new/", "POST"): Rule(
        MARKET,
        {"reason": "已按程序推进", "evidence": "专题会议纪要"},
        form=True,
        params={"measure_id": "{free_measure_id}"},
    ),
    ("supervision/exemptions/{exemption_id}/approve/", "POST"): Rule(OFFICE, {}, form=True),
    ("supervision/exemptions/{exemption_id}/refuse/", "POST"): Rule(
        OFFICE, {"note": "理由不充分"}, form=True
    ),
    ("supervision/scores/adjust/", "POST"): Rule(
        OFFICE, {"organisation": "{market_id}", "points": "2", "reason": "表现突出"}, form=True
    ),
    ("supervision/assignments/", "GET"): Rule(READERS),
    ("supervision/assignments/{assignment_id}/", "GET"): Rule(SEES_NOTICE),
    ("supervision/assignments/{assignment_id}/answer/", "POST"): Rule(
        MARKET, {"answer": "已落实"}, form=True
    ),
    ("supervision/assignments/{assignment_id}/close/", "POST"): Rule(
        OFFICE, {}, form=True, params={"assignment_id": "{answered_assignment_id}"}
    ),
    ("supervision/assignments/{assignment_id}/return/", "POST"): Rule(
        OFFICE,
        {"comment": "请补充"},
        form=True,
        params={"assignment_id": "{answered_assignment_id}"},
    ),
    ("supervision/assignments/{assignment_id}/assign/", "POST"): Rule(
        OFFICE,
        {"organisation": "{market_id}", "due_on": "2099-01-01"},
        form=True,
        params={"assignment_id": "{raised_assignment_id}"},
    ),
    ("supervision/assignments/{assignment_id}/notice/", "POST"): Rule(
        OFFICE, NOTICE_FORM, form=True
    ),
    ("supervision/instructions/new/", "POST"): Rule(
        {"leader"},
        {
            "text": "抓紧",
            "organisations": "{market_id}",
            "due_on": "2099-01-01",
            "measure": "{measure_id}",
        },
        form=True,
    ),
    ("supervision/meetings/new/", "POST"): Rule(
        OFFICE, {"kind": "topic", "title": "专题会", "held_on": "2021-06-01"}, form=True
    ),
    ("supervision/meetings/{meeting_id}/", "GET"): Rule(SEES_NOTICE),  # its decision's unit
    ("supervision/meetings/{meeting_id}/minutes", "GET"): Rule(SEES_NOTICE),
    ("supervision/meetings/{meeting_id}/decisions/new/", "POST"): Rule(
        OFFICE, {"text": "议定", "organisation": "{market_id}", "due_on": "2099-01-01"}, form=True
    ),
    ("supervision/coordination/new/", "POST"): Rule(
        DEPARTMENTS | OFFICE, {"text": "请协调"}, form=True
    ),
    ("api/supervision/notices", "GET"): Rule(READERS),
    ("api/supervision/notices/{notice_id}", "GET"): Rule(SEES_NOTICE),
    ("api/me/messages", "GET"): Rule(LOGGED_IN),
    ("api/me/messages/{message_id}/read", "POST"): Rule({"market_reporter"}),
    ("api/documents/upward", "GET"): Rule(OFFICE | OVERSEERS),
    ("api/audit", "GET"): Rule({"auditor"}),
    ("api/audit.csv", "GET"): Rule({"auditor"}),
}


POSTED = (
    "logout/",
    "urge/",
    "saved/",
    "delete/",
    "unlock/",
    "otp-reset/",
    "setlang/",
    "report/",
    "contribute/",
    "action/",
    "evidence/",
    "remind/",
    "cycles/",
    "upload/",
    "confirm/",
    "publish/",
    "new/",
    "issue/",
    "drop/",
    "sign/",
    "reply/",
    "close/",
    "return/",
    "add/",
    "read-all/",
    "approve/",
    "refuse/",
    "choose/",
    "open/",
    "comment/",
    "moderate/",
    "save/",
    "assign/",
    "edit/",
    "files/",
    "classify/",
    "step/",
    "answer/",
    "notice/",
    "respond/",
    "bulk/",
    "adjust/",
    "done/",
    "submit/",
    "link/",
    "revoke/",
    "amend/",
)


def served_routes() -> set[tuple[str, str]]:
    """(route, method) for every URL the project serves; the admin site counts as one."""
    found: set[tuple[str, str]] = set()

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> None:
        for p in patterns:
            route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", prefix + str(p.pattern))
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    found.add((route, "*"))
                else:
                    walk(p.url_patterns, route)
            elif isinstance(p, URLPattern):
                view = getattr(p.callback, "__self__", None)
                operations = getattr(view, "operations", None)
                if operations:
                    found.update(
                        (re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route), m)
                        for o in operations
                        for m in o.methods
                    )
                else:
                    found.add((route, "POST" if route.endswith(POSTED) else "GET"))

    walk(get_resolver().url_patterns, "")
    return found


def test_every_served_url_has_an_entry():
    assert served_routes() == set(MATRIX)


@dataclass
class SignedIn:
    """The world, each role's session (signed in once) and one request handler for every client.

    A sign-in per request would write a session, an audit row and the user's last_login each time,
    and a new handler per client would load the middleware again: most of a refusal's cost."""

    users: dict[str, Any]
    values: dict[str, Any]
    sessions: dict[str, str] = field(default_factory=dict)
    handler: ClientHandler = field(default_factory=lambda: ClientHandler(enforce_csrf_checks=False))
    raise_request_exception: bool = True  # False: a view's exception is a 500 answer, not raised

    def client(self, role: str) -> Client:
        """A new browser of the role: an empty cookie jar with only the role's session. What a
        request changes in the session rolls back with the request's savepoint."""
        client = Client(raise_request_exception=self.raise_request_exception)
        client.handler = self.handler
        if role in self.sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
        return client


def sign_in(users: dict[str, Any], values: dict[str, Any]) -> SignedIn:
    """Every role of `users` signed in once (anonymous stays signed out)."""
    signed = SignedIn(users, values)
    for role, user in users.items():
        if user is not None:
            client = Client()
            client.force_login(user)
            signed.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return signed


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module: every route and role meets it inside its own rolled-back savepoint."""
    tmp_path = tmp_path_factory.mktemp("matrix")
    with shared_world(django_db_blocker, LUOSHI_EVIDENCE_DIR=tmp_path, DATA_DIR=tmp_path):
        yield sign_in(*build_world())


def build_world() -> tuple[dict[str, Any], dict[str, Any]]:
    from luoshi.progress.services import cycle_open_month

    imported_plan = import_bundled_plan()
    people = make_people()
    cycle = cycle_open_month(plan=imported_plan, year=2021, month=6, actor=people.office)
    admin = User.objects.create_superuser("admin", "admin@example.gov.cn", "Admin-passw0rd-2021")
    measure, submitted_measure = (
        Measure.objects.get(task__plan=imported_plan, task__number=83, number=n) for n in (1, 3)
    )
    draft = report_draft(measure=measure, cycle=cycle, actor=people.market_reporter)
    submitted = report_draft(
        measure=submitted_measure, cycle=cycle, actor=people.market_reporter, work_done="推进中"
    )
    report_transition(report=submitted, action="submit", actor=people.market_reporter)
    evidence = evidence_add(
        report=draft,
        upload=SimpleUploadedFile("a.pdf", PDF),
        name="a.pdf",
        actor=people.market_reporter,
    )
    notices = _notices(people, measure)
    period = period_open(
        plan=imported_plan,
        opens_on=dt.date(2021, 1, 20),
        closes_on=dt.date(2021, 2, 20),
        actor=people.office,
    )
    comment = comment_submit(
        period=period, text="建议", address="10.0.0.1", now=dt.datetime(2021, 2, 1, tzinfo=dt.UTC)
    )
    parent = import_parent()
    link = plan_link(plan=imported_plan, parent=parent, actor=people.office)
    users = {name: getattr(people, name, None) for name in ANYONE} | {
        "admin": admin,
        "anonymous": None,
    }
    values = {
        "plan_id": imported_plan.pk,
        "parent_plan_id": parent.pk,
        "link_id": link.pk,
        "period_id": period.pk,
        "comment_id": comment.pk,
        "task_id": measure.task_id,
        "measure_id": measure.pk,
        "free_measure_id": Measure.objects.get(
            task__plan=imported_plan, task__number=83, number=2
        ).pk,
        "submitted_measure_id": submitted_measure.pk,
        "report_id": draft.pk,
        "submitted_report_id": submitted.pk,
        "submitted_pick": f"{submitted.pk}:{submitted.version}",
        "evidence_id": evidence.pk,
        "cycle_id": cycle.pk,
        "next_cycle_id": cycle_open_month(
            plan=imported_plan, year=2021, month=7, actor=people.office
        ).pk,
        "market_reporter_id": people.market_reporter.pk,
        "person_id": Person.objects.create(
            organisation=people.market_reporter.membership.organisation, name="周建国"
        ).pk,
        **notices,
        **_work_plans(people, measure),
        "risk_id": _risk(people, measure),
        "project_id": _project(people, measure),
        "market_id": people.market_reporter.membership.organisation_id,
        "ledger": ledger_xlsx(
            imported_plan, cycle.starts_on, people.market_reporter.membership.organisation
        ),
        "indicator_id": imported_plan.indicators.get(name="税收收入增速").pk,
        "values": _values_table(),
        **_cases(imported_plan, people),
        **_evaluations(imported_plan, people),
        "briefing_job_id": _briefing_job(imported_plan, people.office),
        "token_id": token_create(
            actor=people.secadmin, name="省平台", organisation=None, scopes=["status:read"]
        ).token.pk,
        "view_id": SavedView.objects.create(
            owner=people.market_head, list_key="tasks", name="红灯", query="light=red"
        ).pk,
    }
    return users, values


def _evaluations(plan, people) -> dict[str, int]:
    """An annual evaluation with a report file and three findings: noted, 交办 to 市市场监管局, and
    交办 with the unit's report waiting for the office."""
    from luoshi.cases.evaluations import (
        ReportFile,
        evaluation_record,
        finding_assign,
        finding_respond,
    )

    evaluation = evaluation_record(
        plan=plan,
        actor=people.office,
        kind="annual",
        evaluator="片区办",
        evaluated_on=dt.date(2022, 1, 10),
        items=["发现一", "发现二", "发现三"],
        report=ReportFile(io.BytesIO(PDF), "评估报告.pdf"),
    )
    noted, opened, reported = evaluation.items.order_by("position")
    market = people.market_reporter.membership.organisation
    for finding in (opened, reported):
        finding_assign(
            finding=finding,
            actor=people.office,
            organisation=market,
            due_on=dt.date(2022, 6, 30),
            on=dt.date(2022, 1, 20),
        )
    finding_respond(finding=reported, actor=people.market_head, text="已整改")
    return {
        "evaluation_id": evaluation.pk,
        "finding_id": noted.pk,
        "open_finding_id": opened.pk,
        "reported_finding_id": reported.pk,
    }


def _briefing_job(plan, office) -> str:
    """The office's briefing PDF, made by the job worker."""
    from luoshi.paperwork.jobs import briefing_pdf_queue

    job = briefing_pdf_queue(plan=plan, as_of=dt.date(2021, 6, 30), user_id=office.pk)
    run_queued_jobs()
    return job


def _cases(plan, people) -> dict[str, int]:
    """A draft case of 市市场监管局 with a file, and a submitted one waiting for its 分类审查."""
    from luoshi.cases.services import case_advance, case_attach

    market = people.market_reporter.membership.organisation
    draft, submitted = (
        case_create(
            actor=people.office, tasks=[], plan=plan, title=t, level="national", organisation=market
        )
        for t in ("案例", "已报送案例")
    )
    case_advance(case=submitted, on=dt.date(2021, 9, 1), actor=people.office)
    attached = case_attach(
        case=draft, upload=io.BytesIO(PDF), name="案例.pdf", actor=people.market_reporter
    )
    return {"case_id": draft.pk, "submitted_case_id": submitted.pk, "case_file_id": attached.pk}


def _risk(people, measure) -> int:
    """A high risk on 83.1 raised by 市市场监管局."""
    from luoshi.risks.services import risk_raise

    return risk_raise(
        actor=people.market_reporter,
        task=measure.task,
        measure=measure,
        description="授权滞后",
        likelihood="high",
        impact="high",
        owner="周建国",
        mitigation="协调",
        review_on=dt.date(2099, 1, 1),
    ).pk


def _project(people, measure) -> int:
    """A reform project of 市市场监管局 on 83.1."""
    from decimal import Decimal

    from luoshi.funding.services import project_add

    return project_add(
        actor=people.market_head,
        measure=measure,
        name="审批系统",
        source="city",
        amounts={"planned": Decimal(100), "allocated": Decimal(50), "spent": Decimal(40)},
    ).pk


def _work_plans(people, measure) -> dict[str, int]:
    """市市场监管局's work plans: a draft, a submitted one and an approved one, each with a 节点."""
    from luoshi.workplans import services

    found = {}
    for year, name in ((2021, "work_plan"), (2022, "submitted_work_plan"), (2023, "approved")):
        plan = services.work_plan_open(
            plan=measure.task.plan, year=year, actor=people.market_reporter
        )
        milestone = services.milestone_add(
            work_plan=plan,
            measure=measure,
            due_on=dt.date(year, 3, 31),
            deliverable="细则",
            result="文本",
            actor=people.market_reporter,
        )
        if year > 2021:
            services.work_plan_submit(work_plan=plan, actor=people.market_head)
        if year > 2022:
            services.work_plan_decide(work_plan=plan, actor=people.office, approve=True)
        found[f"{name}_id"] = plan.pk
        found["milestone_id" if year == 2021 else f"{name}_milestone_id"] = milestone.pk
    return found


def _values_table() -> bytes:
    from openpyxl import Workbook

    from luoshi.metrics.values_import import headers

    book = Workbook()
    book.worksheets[0].append(headers())
    book.worksheets[0].append(["税收收入增速", 2021, None, "数值", 56.5, "市统计局", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _notices(people, measure) -> dict[str, int]:
    """督办单 to 市市场监管局 in each state a step starts from, a reply's file, a message to its reporter."""
    import datetime as dt

    from luoshi.supervision.messaging import message_send
    from luoshi.supervision.models import Notice, NoticeState
    from luoshi.supervision.services import notice_issue, notice_reply, notice_sign

    market = people.market_reporter.membership.organisation

    def issued() -> Notice:
        return notice_issue(
            actor=people.office,
            level="general",
            reason="overdue",
            requirement="抓紧办理",
            reply_due=dt.date(2099, 1, 1),
            organisation=market,
            measure=measure,
        )

    signed = notice_sign(notice=issued(), actor=people.market_head)
    replied = notice_reply(
        notice=notice_sign(notice=issued(), actor=people.market_head),
        actor=people.market_reporter,
        text="已办理",
        files=[(io.BytesIO(PDF), "a.pdf")],
    )
    proposed = Notice.objects.create(
        state=NoticeState.PROPOSED,
        level="general",
        reason="red",
        organisation=market,
        measure=measure,
    )
    message = message_send(recipient=people.market_reporter, subject="催办提醒")
    from luoshi.supervision.extensions import extension_request

    extension = extension_request(
        measure=measure,
        actor=people.market_reporter,
        requested_due=dt.date(2099, 1, 1),
        reason="需省级部门授权",
    )
    return _assignments(people, measure, market) | {
        "notice_id": issued().pk,
        "signed_notice_id": signed.pk,
        "replied_notice_id": replied.pk,
        "proposed_notice_id": proposed.pk,
        "file_id": replied.files.get().pk,
        "message_id": message.pk,
        "extension_id": extension.pk,
    }


def _assignments(people, measure, market) -> dict[str, int]:
    """A 批示 to 市市场监管局 (open), a meeting with minutes and an answered decision, a raised
    coordination request of 岳阳海关."""
    import datetime as dt

    from luoshi.supervision.assignments import (
        assignment_answer,
        coordination_raise,
        instruction_write,
    )
    from luoshi.supervision.meetings import decision_add, meeting_record

    instruction = instruction_write(
        actor=people.leader,
        text="抓紧",
        organisations=[market],
        due_on=dt.date(2099, 1, 1),
        measure=measure,
    )
    meeting = meeting_record(
        actor=people.office,
        kind="topic",
        title="专题会",
        held_on=dt.date(2021, 6, 1),
        minutes=(io.BytesIO(PDF), "纪要.pdf"),
    )
    decision = decision_add(
        actor=people.office,
        meeting=meeting,
        text="议定",
        organisation=market,
        due_on=dt.date(2099, 1, 1),
    )
    assignment_answer(actor=people.market_head, assignment=decision, text="已办")
    raised = coordination_raise(actor=people.customs_reporter, text="请协调")
    from luoshi.supervision.appraisal import exemption_request

    exemption = exemption_request(
        measure=measure, actor=people.market_reporter, reason="已按程序推进", evidence="纪要"
    )
    return {
        "exemption_id": exemption.pk,
        "assignment_id": instruction.assignments.get().pk,
        "answered_assignment_id": decision.pk,
        "raised_assignment_id": raised.pk,
        "meeting_id": meeting.pk,
    }


def fill(value: object, values: dict[str, object]) -> object:
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return values[value[1:-1]]
    return value


def request(client: Client, route: str, method: str, rule: Rule, values):
    path = "/" + route + rule.query
    for name, value in {
        **{k: v for k, v in values.items()},
        **{k: fill(v, values) for k, v in rule.params.items()},
    }.items():
        path = path.replace("{" + name + "}", str(value))
    if method == "*":
        return client.get(path)
    if rule.prepare == "ledger_token":
        (settings.DATA_DIR / "ledger-uploads").mkdir(parents=True, exist_ok=True)
        (settings.DATA_DIR / "ledger-uploads" / "matrix0token.xlsx").write_bytes(values["ledger"])
    if rule.prepare == "plan_token":
        (settings.DATA_DIR / "plan-uploads").mkdir(parents=True, exist_ok=True)
        (settings.DATA_DIR / "plan-uploads" / "matrix0token.bin").write_bytes(CITY.encode())
    if rule.prepare == "values_token":
        (settings.DATA_DIR / "kpi-uploads").mkdir(parents=True, exist_ok=True)
        (settings.DATA_DIR / "kpi-uploads" / "matrix0token.xlsx").write_bytes(values["values"])
    if rule.values_file:
        return client.post(path, {"file": SimpleUploadedFile("指标.xlsx", values["values"])})
    if rule.plan_file:
        return client.post(path, {"file": SimpleUploadedFile("city.txt", CITY.encode())})
    if rule.ledger:
        return client.post(path, {"file": SimpleUploadedFile("台账.xlsx", values["ledger"])})
    if rule.upload:
        return client.post(path, {"file": SimpleUploadedFile("b.pdf", PDF)})
    body = {k: fill(v, values) for k, v in (rule.body or {}).items()}
    if rule.form:
        return client.post(path, body)
    return client.generic(method, path, data=json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(("route", "method"), sorted(MATRIX))
def test_each_role_gets_exactly_what_it_may(world, route, method):
    """Each role is served or refused as the rule says, a refusal leaves one audit row, and each page
    reads right to each role (tests/web/test_walk.py: fetched once for both checks)."""
    from tests.web.test_walk import reading_problems  # the walk imports this module

    values = world.values
    rule = MATRIX[(route, method)]
    unreadable: list[str] = []
    for role, user in sorted(world.users.items()):
        client = world.client(role)
        with undone():  # every role meets the same state
            last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
            response = request(client, route, method, rule, values)
            refusals = AuditEvent.objects.filter(id__gt=last, outcome=Outcome.REFUSED).count()
            if method == "GET":  # the page as the walk reads it (tests/web/test_walk.py)
                unreadable += reading_problems(client, role, route, values, response)
        denied = response.status_code in (401, 403, 404) or (
            response.status_code == 302
            and "login" in response.get("Location", "")
            and not rule.to_login
        )
        if role in rule.allowed:
            assert response.status_code < 400 and not denied, (
                f"{role} {method} {route}: {response.status_code} {response.content[:200]!r}"
            )
        else:
            assert denied, (
                f"{role} {method} {route} should be refused: {response.status_code} {response.content[:200]!r}"
            )
        # A logged-in user refused leaves exactly one audit row; anonymous requests are asked to log in,
        # and a route that serves nobody (the API root) is not found rather than refused.
        expected = 1 if denied and user is not None and rule.allowed else 0
        assert refusals == expected, f"{role} {method} {route}: {refusals} refusal rows"
    assert unreadable == [], "\n".join(unreadable)
