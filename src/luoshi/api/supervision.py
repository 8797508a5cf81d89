"""督查督办 over JSON: the 督办台账, one 督办单's steps, my messages (read or not)."""

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Schema

from luoshi.api.auth import RoleGate
from luoshi.audit.services import fetch_visible
from luoshi.supervision.models import Message, Notice, NoticeEvent
from luoshi.supervision.policies import own_messages, reads_notices, visible_notices
from luoshi.supervision.selectors import notices_for
from luoshi.supervision.services import messages_read

router = Router(
    tags=["supervision"], auth=RoleGate(reads_notices, gettext_lazy("无权查看督办信息"))
)
messages_router = Router(tags=["accounts"])


class NoticeOut(Schema):
    id: int
    label: str
    organisation: str
    subject: str
    level: str
    reason: str
    requirement: str
    state: str
    reply_due: dt.date | None
    issued_at: dt.datetime | None
    signed_at: dt.datetime | None
    replied_at: dt.datetime | None
    closed_at: dt.datetime | None

    @staticmethod
    def resolve_organisation(notice: Notice) -> str:
        return str(notice.organisation)


class NoticeStepOut(Schema):
    action: str
    to_state: str
    comment: str
    at: dt.datetime
    actor: str

    @staticmethod
    def resolve_actor(event: NoticeEvent) -> str:
        return event.actor.get_username() if event.actor else ""


class NoticeDetailOut(NoticeOut):
    reply: str
    steps: list[NoticeStepOut]

    @staticmethod
    def resolve_steps(notice: Notice) -> list[NoticeEvent]:
        return list(notice.events.select_related("actor"))


class NoticeFilters(Schema):
    state: str = ""
    level: str = ""
    reason: str = ""
    organisation: str = ""
    year: str = ""
    overdue: str = ""
    q: str = ""


class MessageOut(Schema):
    id: int
    subject: str
    body: str
    link: str
    created_at: dt.datetime
    read_at: dt.datetime | None

    # In the caller's language (the message keeps its texts, not one rendering).
    @staticmethod
    def resolve_subject(message: Message) -> str:
        return message.shown_subject

    @staticmethod
    def resolve_body(message: Message) -> str:
        return message.shown_body


@router.get("/supervision/notices", response=list[NoticeOut])
def notice_list(request: HttpRequest, filters: Query[NoticeFilters]) -> list[Notice]:
    chosen = {k: v for k, v in filters.dict().items() if v}
    return list(notices_for(request.user, chosen, timezone.localdate()))


@router.get("/supervision/notices/{notice_id}", response=NoticeDetailOut)
def notice_detail(request: HttpRequest, notice_id: int) -> Notice:
    return fetch_visible(visible_notices(request.user), notice_id, actor=request.user)


@messages_router.get("/me/messages", response=list[MessageOut])
def my_messages(request: HttpRequest, unread: bool = False) -> list[object]:
    found = own_messages(request.user)
    return list(found.filter(read_at__isnull=True) if unread else found[:200])


@messages_router.post("/me/messages/{message_id}/read", response=MessageOut)
def my_message_read(request: HttpRequest, message_id: int) -> object:
    message = fetch_visible(own_messages(request.user), message_id, actor=request.user)
    messages_read(actor=request.user, message=message)  # type: ignore[arg-type]
    message.refresh_from_db()
    return message
