"""The briefing (.docx) is the same for every reader of a plan as of a day: made once and kept until
the next write (metrics/cache.py), so a second download does not make it again, and a write shows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.paperwork.briefing import briefing_docx
from tests.conftest import client_for, open_july_cycle

pytestmark = pytest.mark.django_db

DAY = dt.date(2021, 6, 30)


def test_a_second_download_is_not_made_again_until_a_write(imported_plan, people):
    first = briefing_docx(imported_plan, DAY)
    with CaptureQueriesContext(connection) as kept:
        assert briefing_docx(imported_plan, DAY) == first
    assert len(kept) == 0

    open_july_cycle(imported_plan, people.office)  # a write: what was kept may be stale
    with CaptureQueriesContext(connection) as made:
        briefing_docx(imported_plan, DAY)
    assert len(made) > 0


def test_every_reader_downloads_the_same_document(imported_plan, people):
    path = f"/documents/briefing/?as_of={DAY}"
    office = client_for(people.office).get(path)
    reporter = client_for(people.market_reporter).get(path)
    assert office.status_code == reporter.status_code == 200
    assert office.content == reporter.content == briefing_docx(imported_plan, DAY)
