"""Channel adapters: e-mail, an SMS gateway over HTTP, and the 企业微信 / 钉钉 / 政务微信 group robots.

Each adapter sends one text and raises `SendError` when the far end did not take it; `deliver` retries
(settings.LUOSHI_CHANNELS["retries"]) and records the outcome on the Delivery, so the office sees
failures. Only the standard library speaks HTTP here: the robots take a small JSON body.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from luoshi.supervision.models import ChannelKind, Delivery, DeliveryStatus


class SendError(Exception):
    """The channel refused or could not be reached."""


def _post_json(url: str, body: dict[str, object], headers: dict[str, str] | None = None) -> bytes:
    request = urllib.request.Request(
        url,
        data=json.dumps(body, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.LUOSHI_CHANNELS["timeout"]) as answer:
            data: bytes = answer.read()
            return data
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise SendError(str(error)[:300]) from error


def _robot_answer(data: bytes) -> None:
    """企业微信, 政务微信 and 钉钉 robots answer 200 with {"errcode": 0} or an error code."""
    try:
        answer = json.loads(data or b"{}")
    except ValueError as error:
        raise SendError(gettext("机器人返回内容无法解析")) from error
    if answer.get("errcode", 0) != 0:
        raise SendError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}"[:300])


def _dingtalk_url(url: str, secret: str) -> str:
    """钉钉 加签: timestamp and HMAC-SHA256 signature as query parameters, when a secret is set."""
    if not secret:
        return url
    stamp = str(int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{stamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{url}{'&' if '?' in url else '?'}timestamp={stamp}&sign={sign}"


def send_robot(delivery: Delivery, text: str) -> None:
    channel = delivery.channel
    assert channel is not None
    dingtalk = delivery.kind == ChannelKind.DINGTALK
    url = _dingtalk_url(channel.url, channel.secret) if dingtalk else channel.url
    _robot_answer(_post_json(url, {"msgtype": "text", "text": {"content": text}}))


def send_sms(delivery: Delivery, text: str) -> None:
    """A generic gateway: POST {"mobile", "content"} with the token as a bearer header; 2xx is taken."""
    channel = delivery.channel
    assert channel is not None
    headers = {"Authorization": f"Bearer {channel.secret}"} if channel.secret else {}
    _post_json(channel.url, {"mobile": delivery.target, "content": text}, headers)


def send_email(delivery: Delivery, text: str) -> None:
    try:
        send_mail(delivery.message.subject, text, settings.DEFAULT_FROM_EMAIL, [delivery.target])
    except OSError as error:
        raise SendError(str(error)[:300]) from error


ADAPTERS: dict[str, Callable[[Delivery, str], None]] = {
    ChannelKind.EMAIL: send_email,
    ChannelKind.SMS: send_sms,
    ChannelKind.WECOM: send_robot,
    ChannelKind.GOVWECHAT: send_robot,
    ChannelKind.DINGTALK: send_robot,
}


def deliver(delivery: Delivery) -> bool:
    """Try a pending or failed delivery a few times; record the outcome."""
    # Outside channels carry the stored site-language text (a recipient has no language of their own).
    with translation.override(settings.LANGUAGE_CODE):
        text = gettext("【落实】%(subject)s\n%(body)s") % {
            "subject": delivery.message.subject,
            "body": delivery.message.body,
        }
    text = text.strip()
    # A few tries now; a later run of `luoshi remind` tries again, until the overall limit.
    limit = min(
        delivery.attempts + settings.LUOSHI_CHANNELS["retries"],
        settings.LUOSHI_CHANNELS["give_up_after"],
    )
    while delivery.status != DeliveryStatus.SENT and delivery.attempts < limit:
        delivery.attempts += 1
        try:
            ADAPTERS[delivery.kind](delivery, text)
        except SendError as error:
            delivery.status, delivery.last_error = DeliveryStatus.FAILED, str(error)
        else:
            delivery.status, delivery.last_error = DeliveryStatus.SENT, ""
            delivery.delivered_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "last_error", "delivered_at"])
    return delivery.status == DeliveryStatus.SENT
