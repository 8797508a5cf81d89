"""Page forms. Validation messages come from the services, shown beside the field that caused them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from luoshi.metrics.models import ValueBasis
from luoshi.plans.limits import StaleEdit
from luoshi.progress.models import TEXT_LIMIT, ProgressStatus


class LimitedTextarea(forms.Textarea):
    """A long text field with a visible counter (static/web/report.js) instead of the browser's
    `maxlength`, which cuts pasted text without a word; the service refuses what is too long."""

    def __init__(self, limit: int = TEXT_LIMIT) -> None:
        super().__init__(attrs={"data-limit": str(limit)})

    def build_attrs(
        self, base_attrs: dict[str, Any], extra_attrs: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs.pop("maxlength", None)
        return attrs


class ReportForm(forms.Form):
    progress_status = forms.ChoiceField(label=_("进展状态"), choices=ProgressStatus.choices)
    percent = forms.IntegerField(label=_("完成比例（%）"), min_value=0, max_value=100)
    work_done = forms.CharField(
        label=_("工作进展"), widget=LimitedTextarea(), required=False, max_length=TEXT_LIMIT
    )
    problems = forms.CharField(
        label=_("问题与困难"), widget=LimitedTextarea(), required=False, max_length=TEXT_LIMIT
    )
    next_steps = forms.CharField(
        label=_("下一步计划"), widget=LimitedTextarea(), required=False, max_length=TEXT_LIMIT
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("佐证材料（PDF、图片、Word、Excel）"), required=False)

    def add_service_errors(self, error: ValidationError) -> None:
        """A service's ValidationError, placed on the fields it names."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


F = TypeVar("F", bound=forms.BaseForm)


def stale_form(make: Callable[[dict[str, Any]], F], post: QueryDict, stale: StaleEdit) -> F:
    """A save refused as stale (funding, cases, risks): the form again with the user's typed text,
    now carrying the record's current version (saving again is then a deliberate overwrite of what
    the message shows), and the message above it."""
    form = make({**post.dict(), "version": stale.version})
    form.is_valid()
    form.add_error(None, stale.messages)
    return form


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("佐证材料（PDF、图片、Word、Excel）"))


class TransitionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class CycleForm(forms.Form):
    starts_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))
    due_on = forms.DateField(
        label=_("填报截止"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )


class IndicatorValueForm(forms.Form):
    """One period's value of an indicator (a correction when the period has one already)."""

    indicator = forms.TypedChoiceField(label=_("指标"), coerce=int)
    year = forms.IntegerField(label=_("年度"), min_value=1990, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("期间"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[
            ("", _("全年")),
            (1, _("1–3月（一季度）")),
            (2, _("1–6月（上半年）")),
            (3, _("1–9月（前三季度）")),
            (4, _("1–12月（快报）")),
        ],
    )
    basis = forms.ChoiceField(label=_("口径"), choices=ValueBasis.choices)
    value = forms.DecimalField(label=_("数值"), max_digits=16, decimal_places=4)
    source = forms.CharField(label=_("数据来源"), max_length=200, required=False)
    note = forms.CharField(
        label=_("备注（更正时必填）"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: object, indicators: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["indicator"].choices = indicators  # type: ignore[attr-defined]

    def add_service_errors(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


class ValuesUploadForm(forms.Form):
    file = forms.FileField(label=_("指标实际值表（.xlsx）"))
