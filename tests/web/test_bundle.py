"""The dashboard ships only the ECharts parts it draws (built by esbuild from npm's echarts): the
bundle stays under 300 kB compressed, and the chart still draws in a browser."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from playwright.sync_api import expect

LEAN = "vendor/echarts/echarts.lean.min.js"


def test_the_chart_bundle_is_lean():
    path = finders.find(LEAN)
    assert path, "run `make` to build the lean ECharts bundle"
    data = Path(path).read_bytes()
    compressed = len(gzip.compress(data, 9))
    assert compressed <= 300 * 1024, f"{compressed / 1024:.0f} kB compressed"
    assert len(data) < 600 * 1024  # the full build is 1.1 MB
    assert finders.find("vendor/echarts/echarts.min.js") is None  # the full build is not served


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_draws_its_trend_with_the_lean_bundle(
    open_page, live_server, people, imported_plan
):
    page = open_page(people.leader)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/dashboard/")
    assert "vendor/echarts/echarts.lean.min" in page.content()
    expect(page.locator("#trend canvas")).to_have_count(1)
    assert errors == []
