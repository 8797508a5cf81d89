"""Forms of the evaluation pages: they parse and check input; the services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from luoshi.cases.models import EvaluationKind
from luoshi.plans.models import Organisation, Plan, Task
from luoshi.web.case_forms import DATE, ServiceErrors


class EvaluationForm(ServiceErrors, forms.Form):
    task = forms.IntegerField(
        label=_("评估对象（任务编号，留空为方案整体）"), required=False, min_value=1
    )
    kind = forms.ChoiceField(label=_("类型"), choices=EvaluationKind.choices)
    evaluator = forms.CharField(label=_("评估主体"), max_length=100)
    period_start = forms.DateField(label=_("评估期起"), widget=DATE, required=False)
    period_end = forms.DateField(label=_("评估期止"), widget=DATE, required=False)
    method = forms.CharField(
        label=_("评估方法"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    evaluated_on = forms.DateField(label=_("评估日期"), widget=DATE)
    grade = forms.CharField(label=_("等次"), max_length=20, required=False)
    score = forms.DecimalField(
        label=_("总分（未按指标打分时填写）"), max_digits=5, decimal_places=1, required=False
    )
    findings = forms.CharField(
        label=_("评估意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    items = forms.CharField(
        label=_("评估发现（每行一条，可交办整改）"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=10000,
    )
    report = forms.FileField(label=_("评估报告（PDF、Word）"), required=False)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.criteria = list(plan.criteria.all())
        for c in self.criteria:
            self.fields[f"score_{c.pk}"] = forms.DecimalField(
                label=gettext("%(name)s（满分 %(max)s）")
                % {"name": c.name, "max": f"{c.max_score:g}"},
                max_digits=5,
                decimal_places=1,
                required=False,
            )

    def clean_task(self) -> Task | None:
        number = self.cleaned_data["task"]
        if number is None:
            return None
        task = self.plan.tasks.filter(number=number).first()
        if task is None:
            raise ValidationError(_("方案中没有任务 %(n)s") % {"n": number})
        return task

    def scores(self) -> dict[int, Decimal]:
        return {
            c.pk: self.cleaned_data[f"score_{c.pk}"]
            for c in self.criteria
            if self.cleaned_data.get(f"score_{c.pk}") is not None
        }

    def criterion_fields(self) -> list[forms.BoundField]:
        return [self[f"score_{c.pk}"] for c in self.criteria]


class CriterionForm(ServiceErrors, forms.Form):
    name = forms.CharField(label=_("评估指标"), max_length=100)
    max_score = forms.DecimalField(label=_("满分"), max_digits=5, decimal_places=1)


class AssignForm(ServiceErrors, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("整改单位"), queryset=Organisation.objects.order_by("name")
    )
    due_on = forms.DateField(label=_("整改期限"), widget=DATE)
    on = forms.DateField(label=_("交办日期"), widget=DATE)


class RespondForm(ServiceErrors, forms.Form):
    text = forms.CharField(
        label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class CloseForm(ServiceErrors, forms.Form):
    on = forms.DateField(label=_("销号日期"), widget=DATE)


class ReturnForm(ServiceErrors, forms.Form):
    comment = forms.CharField(
        label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
