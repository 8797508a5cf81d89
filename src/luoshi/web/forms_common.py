"""What a page does with a service's answer to a posted step, once for every view module: a refusal
of bad input is said on the next page (the service has stored nothing)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from luoshi.supervision.models import Exemption, Extension
from luoshi.web.access import user_of


def say_invalid(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, _("；").join(error.messages))


def decide_then_history(
    request: HttpRequest, item: Extension | Exemption, decide: Callable[..., object], approve: bool
) -> HttpResponse:
    """An approve/refuse decision on a request (延期, 容错免责) taken from the measure's 督办 history,
    where the person goes back whatever the answer. `decide(item, actor=, approve=, note=)`."""
    note = request.POST.get("note", "")
    try:
        decide(item, actor=user_of(request), approve=approve, note=note)
    except ValidationError as error:
        say_invalid(request, error)
        if note.strip():  # the form it was typed in is gone: give the text back
            messages.warning(
                request, _("您填写的内容未提交，原文：%(text)s") % {"text": note.strip()}
            )
    return redirect("supervision:history", item.measure_id)
