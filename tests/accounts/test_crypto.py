"""Personal fields are encrypted at rest (SM4-GCM, key outside the database) and still found by exact
number; existing plain values are encrypted by the migration without loss."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from luoshi.accounts.crypto import PREFIX, DecryptionError, blind_index, decrypt, encrypt
from luoshi.accounts.models import Membership, Role

PHONE = "138 0730-1234"


def stored(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return str(cursor.fetchone()[0])


@pytest.mark.django_db
def test_a_phone_is_stored_encrypted_and_read_back_plain():
    user = User.objects.create_user("phoned")
    membership = Membership.objects.create(user=user, role=Role.LEADER, phone=PHONE)
    raw = stored("accounts_membership", "phone", membership.pk)
    assert raw.startswith(PREFIX) and "1234" not in raw
    assert Membership.objects.get(pk=membership.pk).phone == PHONE
    assert encrypt(PHONE) != encrypt(PHONE)  # a fresh nonce each time: equal numbers look different


@pytest.mark.django_db
def test_a_phone_is_found_by_exact_number_through_its_index():
    for name, phone in [("a", PHONE), ("b", "13900000000"), ("c", "")]:
        Membership.objects.create(
            user=User.objects.create_user(name), role=Role.LEADER, phone=phone
        )
    found = Membership.objects.filter(phone_index=blind_index("13807301234"))
    assert [m.user.username for m in found] == ["a"]
    assert Membership.objects.get(user__username="c").phone_index == ""


def test_a_wrong_key_or_a_changed_value_does_not_decrypt(settings):
    secret = encrypt(PHONE)
    settings.LUOSHI_FIELD_KEY = "another-key-" * 4
    with pytest.raises(DecryptionError):
        decrypt(secret)


def test_a_tampered_value_does_not_decrypt():
    secret = encrypt(PHONE)
    flipped = secret[:-6] + ("A" if secret[-6] != "A" else "B") + secret[-5:]
    with pytest.raises(DecryptionError):
        decrypt(flipped)


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_existing_phones_without_loss():
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0001_initial")])
    user = User.objects.create_user("before")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO accounts_membership (user_id, role, phone) VALUES (%s, 'leader', %s)",
            [user.pk, PHONE],
        )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    membership = Membership.objects.get(user=user)
    assert stored("accounts_membership", "phone", membership.pk).startswith(PREFIX)
    assert membership.phone == PHONE
    assert membership.phone_index == blind_index(PHONE)
