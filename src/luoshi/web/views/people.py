"""责任人 pages: a unit's person records (name, post, phones, e-mail, optional login) and whom it
names for each of its measures. The head keeps them; the unit's reporters read them. They parse
and render; accounts.services decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from luoshi.accounts.models import Person, Role
from luoshi.accounts.policies import (
    DEPARTMENT,
    can_keep_people,
    organisation_of,
    role_of,
    visible_measures,
)
from luoshi.accounts.selectors import named_people, unit_accounts, unit_measures, unit_people
from luoshi.accounts.services import person_save, responsible_person_set
from luoshi.audit.services import fetch_visible
from luoshi.plans.models import Duty, Organisation
from luoshi.web.access import current_plan, requires, user_of


def in_department(user: Any) -> bool:
    return role_of(user) in DEPARTMENT


def unit_head(user: Any) -> bool:
    return role_of(user) == Role.HEAD


class PersonForm(forms.ModelForm[Person]):
    class Meta:
        model = Person
        fields = ["name", "post", "office_phone", "mobile", "email", "user"]

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        accounts = [m.user_id for m in unit_accounts(organisation)]
        user_field = self.fields["user"]
        assert isinstance(user_field, forms.ModelChoiceField)
        user_field.queryset = User.objects.filter(pk__in=accounts).order_by("username")
        user_field.label_from_instance = _account_label  # type: ignore[method-assign]
        user_field.required = False


def _account_label(obj: Any) -> str:
    return _("%(name)s（%(username)s）") % {
        "name": obj.last_name or obj.username,
        "username": obj.username,
    }


def _edit_names(person: Person) -> dict[str, str]:
    """Fields named person-… in every edit form; ids told apart by the record (p12-person-name)."""
    return {"prefix": "person", "auto_id": f"p{person.pk}-%s"}


def _unit(request: HttpRequest) -> Organisation:
    organisation = organisation_of(request.user)
    assert organisation is not None  # department roles always have one
    return organisation


def _page(request: HttpRequest, status: int = 200, **forms_shown: Any) -> HttpResponse:
    organisation = _unit(request)
    plan = current_plan(request)
    head = can_keep_people(request.user, organisation)
    people = list(unit_people(organisation))
    measures = list(unit_measures(plan, organisation))
    named = named_people(organisation, measures)
    rows = [
        (
            m,
            next(d.role for d in m.responsibilities.all() if d.organisation_id == organisation.pk)
            == Duty.LEAD,
            named.get(m.pk),
        )
        for m in measures
    ]
    edit_forms = {
        p.pk: forms_shown.get(f"edit{p.pk}")
        or PersonForm(instance=p, organisation=organisation, **_edit_names(p))
        for p in people
    }
    return render(
        request,
        "web/people.html",
        {
            "unit": organisation,
            "head": head,
            "people": [(p, edit_forms[p.pk]) for p in people],
            "rows": rows,
            "unnamed": sum(1 for _m, _lead, person in rows if person is None),
            "new_form": forms_shown.get("new")
            or PersonForm(organisation=organisation, prefix="new", auto_id="%s"),
        },
        status=status,
    )


@requires(in_department, gettext_noop("责任人页面仅供各责任单位使用"))
def people(request: HttpRequest) -> HttpResponse:
    return _page(request)


def _saved(request: HttpRequest, form: PersonForm, key: str, person: Person | None) -> HttpResponse:
    """Save a valid form through the service; an invalid one is shown again with what was typed."""
    if form.is_valid():
        try:
            saved = person_save(
                actor=user_of(request),
                organisation=_unit(request),
                fields=form.cleaned_data,
                person=person,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("已保存责任人 %(name)s") % {"name": saved.name})
            return redirect("web:people")
    return _page(request, 400, **{key: form})


@require_POST
@requires(unit_head, gettext_noop("只有本单位审核人可以维护责任人"))
def person_new(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST, organisation=_unit(request), prefix="new", auto_id="%s")
    return _saved(request, form, "new", None)


@require_POST
@requires(unit_head, gettext_noop("只有本单位审核人可以维护责任人"))
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = fetch_visible(unit_people(_unit(request)), person_id, actor=request.user)
    form = PersonForm(
        request.POST, instance=person, organisation=_unit(request), **_edit_names(person)
    )
    return _saved(request, form, f"edit{person.pk}", person)


@require_POST
@requires(unit_head, gettext_noop("只有本单位审核人可以维护责任人"))
def person_assign(request: HttpRequest) -> HttpResponse:
    measure = fetch_visible(
        visible_measures(request.user), request.POST.get("measure") or 0, actor=request.user
    )
    person = unit_people(_unit(request)).filter(pk=request.POST.get("person") or 0).first()
    if person is None:
        messages.error(request, _("请选择本单位的责任人"))
        return redirect("web:people")
    responsible_person_set(measure=measure, person=person, actor=user_of(request))
    messages.success(
        request,
        _("举措 %(code)s 的责任人：%(name)s") % {"code": measure.code, "name": person.name},
    )
    return redirect(reverse("web:people") + f"#measure-{measure.pk}")
