"""The message centre: an in-app message for everyone, copies on every channel the person can be reached by."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q

from luoshi.accounts.policies import membership_of
from luoshi.supervision.channels import deliver
from luoshi.supervision.models import Channel, ChannelKind, Delivery, DeliveryStatus, Message
from luoshi.supervision.texts import (
    Lines,
    Text,
    in_site_language,
    in_site_language_lines,
    lines_json,
)

ROBOTS = (ChannelKind.WECOM, ChannelKind.DINGTALK, ChannelKind.GOVWECHAT)


def _deliveries(message: Message) -> list[Delivery]:
    user = message.recipient
    membership = membership_of(user)
    found = []
    if user.email:
        found.append(Delivery(message=message, kind=ChannelKind.EMAIL, target=user.email))
    owners = Q(user=user)
    if membership is not None and membership.organisation_id is not None:
        owners |= Q(organisation_id=membership.organisation_id)
    phone = membership.phone if membership else ""
    for channel in Channel.objects.filter(owners, enabled=True):
        if channel.kind in ROBOTS:
            found.append(
                Delivery(message=message, kind=channel.kind, channel=channel, target=channel.url)
            )
        elif channel.kind == ChannelKind.SMS and phone:
            found.append(
                Delivery(message=message, kind=channel.kind, channel=channel, target=phone)
            )
    return found


def message_send(
    *, recipient: User, subject: str | Text, body: str | Text | Lines = "", link: str = ""
) -> Message:
    """Store the in-app message and its outside deliveries, sent once the transaction commits.
    A Text (or a digest's lines) is kept to be rendered in each reader's language; a plain string
    is someone's own words, kept as written."""
    texts: dict[str, object] = {}
    if isinstance(subject, Text):
        texts["subject"], subject = subject.as_json(), in_site_language(subject)
    if isinstance(body, Text):
        texts["body"], body = body.as_json(), in_site_language(body)
    elif not isinstance(body, str):
        texts["lines"] = lines_json(body)
        body = in_site_language_lines(body)
    message = Message.objects.create(
        recipient=recipient, subject=subject, body=body, link=link, texts=texts
    )
    if Delivery.objects.bulk_create(_deliveries(message)):
        transaction.on_commit(lambda: deliver_message(message.pk))
    return message


def deliver_message(message_id: int) -> None:
    for delivery in Delivery.objects.filter(
        message_id=message_id, status=DeliveryStatus.PENDING
    ).select_related("message", "channel"):
        deliver(delivery)


def deliver_pending(*, before: dt.datetime) -> tuple[int, int]:
    """Send what is still pending and retry what failed on an earlier run (within the limit)."""
    sent = failed = 0
    waiting = Delivery.objects.filter(
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED], message__created_at__lt=before
    ).select_related("message", "channel")
    for delivery in waiting:
        if delivery.status == DeliveryStatus.FAILED and not _may_retry(delivery):
            continue
        if deliver(delivery):
            sent += 1
        else:
            failed += 1
    return sent, failed


def _may_retry(delivery: Delivery) -> bool:
    return bool(delivery.attempts < settings.LUOSHI_CHANNELS["give_up_after"])
