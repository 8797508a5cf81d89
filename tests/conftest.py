from __future__ import annotations

import pytest

from luoshi.ingest import ParsedPlan, parse_file
from tests.variants import BUNDLED


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing is slow on purpose; tests do not need it to be."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def yueyang() -> ParsedPlan:
    return parse_file(BUNDLED)


@pytest.fixture
def imported_plan(db):
    from luoshi.plans.services import plan_import

    return plan_import(parsed=parse_file(BUNDLED)).plan


@pytest.fixture
def office_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(
        "office", "office@example.com", "A-strong-passw0rd!"
    )
    client.force_login(user)
    return client

