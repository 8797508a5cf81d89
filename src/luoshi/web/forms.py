"""Page forms. Validation messages come from the services, shown beside the field that caused them."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from luoshi.progress.models import TEXT_LIMIT, ProgressStatus


class ReportForm(forms.Form):
    progress_status = forms.ChoiceField(label=_("进展状态"), choices=ProgressStatus.choices)
    percent = forms.IntegerField(label=_("完成比例（%）"), min_value=0, max_value=100)
    work_done = forms.CharField(
        label=_("工作进展"), widget=forms.Textarea, required=False, max_length=TEXT_LIMIT
    )
    problems = forms.CharField(
        label=_("问题与困难"), widget=forms.Textarea, required=False, max_length=TEXT_LIMIT
    )
    next_steps = forms.CharField(
        label=_("下一步计划"), widget=forms.Textarea, required=False, max_length=TEXT_LIMIT
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def add_service_errors(self, error: ValidationError) -> None:
        """A service's ValidationError, placed on the fields it names."""
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("佐证材料（PDF、图片、Word、Excel）"))


class TransitionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class CycleForm(forms.Form):
    starts_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))
    due_on = forms.DateField(
        label=_("填报截止"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
