"""Forms of the case pages (创新案例): they parse and check input; the services decide."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from luoshi.cases.models import CaseCategory, CaseLevel, PromotionScope, ReviewResult, RiskLevel
from luoshi.plans.models import Organisation, Plan, Task

DATE = forms.DateInput(attrs={"type": "date"})


class ServiceErrors:
    """A service's ValidationError shown beside the fields it names (else above the form)."""

    def add_service_errors(self, error: ValidationError) -> None:
        form: forms.Form = self  # type: ignore[assignment]
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)


class CaseForm(ServiceErrors, forms.Form):
    title = forms.CharField(label=_("案例名称"), max_length=200)
    category = forms.ChoiceField(label=_("类别"), choices=CaseCategory.choices)
    level = forms.ChoiceField(label=_("报送层级"), choices=CaseLevel.choices)
    organisation = forms.ModelChoiceField(
        label=_("提出单位"), queryset=Organisation.objects.order_by("name"), required=False
    )
    tasks = forms.CharField(label=_("相关任务（编号，逗号分隔）"), max_length=200, required=False)
    summary = forms.CharField(
        label=_("简介"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    full_text = forms.CharField(
        label=_("案例全文"),
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=50000,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)  # the copy edited

    def __init__(
        self, *args: object, plan: Plan, office: bool, editing: bool = False, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.plan = plan
        if not office:  # a unit registers for itself
            del self.fields["organisation"]
        if not editing:  # a new case has no earlier copy
            del self.fields["version"]

    def clean_tasks(self) -> list[Task]:
        numbers = [int(n) for n in re.findall(r"\d+", self.cleaned_data["tasks"])]
        found = {t.number: t for t in self.plan.tasks.filter(number__in=numbers)}
        if missing := [n for n in numbers if n not in found]:
            numbered = gettext("、").join(map(str, missing))
            raise ValidationError(gettext("方案中没有任务 %(n)s") % {"n": numbered})
        return [found[n] for n in dict.fromkeys(numbers)]


class CaseReviewForm(ServiceErrors, forms.Form):
    on = forms.DateField(label=_("审查日期"), widget=DATE)
    category = forms.ChoiceField(label=_("类别"), choices=CaseCategory.choices)
    risk = forms.ChoiceField(label=_("风险等级"), choices=RiskLevel.choices)
    opinion = forms.CharField(
        label=_("审查意见"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    result = forms.ChoiceField(label=_("审查结论"), choices=ReviewResult.choices)


class CaseStepForm(ServiceErrors, forms.Form):
    on = forms.DateField(label=_("日期"), widget=DATE)
    stage = forms.CharField(widget=forms.HiddenInput, required=False)  # the stage the page showed
    scope = forms.ChoiceField(
        label=_("推广范围"), choices=[("", "—"), *PromotionScope.choices], required=False
    )


class CaseFileForm(forms.Form):
    file = forms.FileField(label=_("附件（PDF、Word、Excel、图片）"))
