"""Organisations: their load (tasks led/supported, on time/late) and the responsibility matrix."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_noop

from luoshi.accounts.policies import reads_people, reads_plans
from luoshi.accounts.selectors import unit_people
from luoshi.metrics.facts import MeasureFact, load_facts
from luoshi.metrics.lights import lights_as_of, organisation_lights
from luoshi.metrics.rates import rates_by_organisation
from luoshi.plans.models import Organisation
from luoshi.plans.selectors import responsibility_matrix
from luoshi.progress.timing import days_late
from luoshi.web.access import as_of, current_plan, requires
from luoshi.web.conditional import revalidated


@requires(reads_plans, gettext_noop("无权查看"))
def organisation_list(request: HttpRequest) -> HttpResponse:
    plan, day = current_plan(request), as_of(request)
    facts = load_facts(plan, day)
    lights = organisation_lights(facts, lights_as_of(facts, day))
    rows = [(r, lights.get(r.organisation_id)) for r in rates_by_organisation(facts, day)]
    return render(request, "web/organisations.html", {"plan": plan, "as_of": day, "rows": rows})


@requires(reads_plans, gettext_noop("无权查看"))
def organisation_detail(request: HttpRequest, organisation_id: int) -> HttpResponse:
    plan, day = current_plan(request), as_of(request)
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    facts = load_facts(plan, day)
    lights = lights_as_of(facts, day)
    led = [m for m in facts.measures.values() if organisation.pk in m.leads]
    supported = [m for m in facts.measures.values() if organisation.pk in m.supports]

    def late(m: MeasureFact) -> bool:
        # implemented after its deadline, or still open past it
        return not m.ongoing and days_late(m.due_date, m.implemented_on or day) > 0

    return render(
        request,
        "web/organisation.html",
        {
            "organisation": organisation,
            "as_of": day,
            "led": [(m, lights[m.id]) for m in sorted(led, key=lambda m: m.code)],
            "supported": [(m, lights[m.id]) for m in sorted(supported, key=lambda m: m.code)],
            "on_time": sum(1 for m in led if m.done(day) and not late(m)),
            "late": sum(1 for m in led if late(m)),
            "tasks_led": len({m.task_id for m in led}),
            "tasks_supported": len({m.task_id for m in supported}),
            "people": unit_people(organisation)
            if reads_people(request.user, organisation)
            else None,
        },
    )


@requires(reads_plans, gettext_noop("无权查看"))
@revalidated
def matrix(request: HttpRequest) -> HttpResponse:
    """Organisations × tasks: L = leads a measure of the task, S = supports one."""
    plan = current_plan(request)
    found = responsibility_matrix(plan)
    return render(
        request, "web/matrix.html", {"plan": plan, "tasks": found.tasks, "rows": found.rows}
    )
