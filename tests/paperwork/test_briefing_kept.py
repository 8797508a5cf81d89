"""The briefing (.docx) is the same for every reader of a plan as of a day: made once and kept until
the next write (metrics/cache.py), so a second download does not make it again, and a write shows."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

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


def test_a_write_that_moves_no_figure_of_the_day_makes_the_same_document_without_drawing(
    imported_plan, people
):
    """The kept briefing is thrown away by any write; made again, it is the same document, and
    its chart (most of the making) is not drawn again when its points did not move."""
    from luoshi.paperwork.chart import _drawn

    first = _parts(briefing_docx(imported_plan, DAY))
    drawn = _drawn.cache_info().misses
    open_july_cycle(imported_plan, people.office)  # July's cycle: nothing as of June 30 moves
    again = _parts(briefing_docx(imported_plan, DAY))
    assert _drawn.cache_info().misses == drawn
    assert again == first
    assert any(name.startswith("word/media/") for name in again)  # the chart is in it


def test_the_chart_is_drawn_for_its_own_points(imported_plan):
    """Kept pictures are keyed by their points: another day's trend is drawn, not reused."""
    june = _parts(briefing_docx(imported_plan, DAY))
    december = _parts(briefing_docx(imported_plan, dt.date(2020, 12, 31)))
    picture = next(name for name in june if name.startswith("word/media/"))
    assert june[picture] != december[picture]


def _parts(document: bytes) -> dict[str, bytes]:
    """The document's parts but its properties (which carry the time it was written)."""
    with zipfile.ZipFile(io.BytesIO(document)) as packed:
        return {n: packed.read(n) for n in packed.namelist() if n != "docProps/core.xml"}
