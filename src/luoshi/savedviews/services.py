"""Writes on saved filters, each audited; another person's filter is refused (audited) before any
write. The list key and query string come already checked by the page (web.listing)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from luoshi.audit.actions import AuditAction
from luoshi.audit.services import audit_record, refuse
from luoshi.savedviews.models import NAME_LIMIT, QUERY_LIMIT, SavedView
from luoshi.savedviews.policies import may_use


def saved_view_save(*, actor: User, list_key: str, name: str, query: str) -> SavedView:
    """Saves the filter under `name`; a filter of the same name on that list is replaced."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("请为筛选条件起个名字")})
    if len(name) > NAME_LIMIT:
        raise ValidationError(
            {"name": _("名称不超过 %(n)d 字（现 %(m)d 字）") % {"n": NAME_LIMIT, "m": len(name)}}
        )
    if len(query) > QUERY_LIMIT:
        raise ValidationError({"query": _("筛选条件过长（超过 %(n)d 字符）") % {"n": QUERY_LIMIT}})
    with transaction.atomic():
        view, created = SavedView.objects.update_or_create(
            owner=actor, list_key=list_key, name=name, defaults={"query": query}
        )
        audit_record(
            actor=actor,
            action=AuditAction.SAVED_VIEW_SAVE,
            obj=view,
            detail={"list": list_key, "query": query, "replaced": not created},
        )
    return view


def saved_view_of(*, actor: User, view_id: int, action: AuditAction) -> SavedView:
    """The saved filter `view_id` if it is the actor's; someone else's is refused (audited)."""
    view = SavedView.objects.filter(pk=view_id).first()
    if view is None:
        raise Http404
    if not may_use(actor, view):
        raise refuse(
            actor=actor, action=action, obj=view, message=_("这是其他人保存的筛选条件，无权使用")
        )
    return view


def saved_view_delete(*, actor: User, view_id: int) -> SavedView:
    view = saved_view_of(actor=actor, view_id=view_id, action=AuditAction.SAVED_VIEW_DELETE)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.SAVED_VIEW_DELETE,
            obj=view,
            detail={"list": view.list_key, "query": view.query},
        )
        view.delete()
    return view
