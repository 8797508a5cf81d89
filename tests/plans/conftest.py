"""What the plan tests share: the office signed in, its uploads kept in the test's own data directory."""

from __future__ import annotations

import pytest


@pytest.fixture
def office(client, people, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    client.force_login(people.office)
    return client
