from django.urls import path

from luoshi.web.views import dashboard, library, organisations, public, review, tasks, workbench

app_name = "web"
urlpatterns = [
    path("", public.home, name="home"),
    path("public/", public.public, name="public"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("my/", workbench.workbench, name="workbench"),
    path("measures/<int:measure_id>/report/", workbench.start_report, name="start_report"),
    path("measures/<int:measure_id>/contribute/", workbench.contribute, name="contribute"),
    path("reports/<int:report_id>/", workbench.report_page, name="report"),
    path("reports/<int:report_id>/action/", workbench.report_action, name="report_action"),
    path("reports/<int:report_id>/evidence/", workbench.upload_evidence, name="upload_evidence"),
    path("evidence/<int:evidence_id>/", workbench.download_evidence, name="evidence"),
    path("review/", review.review_desk, name="review"),
    path("review/remind/", review.remind_now, name="remind"),
    path("review/cycles/", review.open_cycle, name="open_cycle"),
    path("tasks/", tasks.task_list, name="tasks"),
    path("tasks/<int:task_id>/", tasks.task_detail, name="task"),
    path("timeline/", tasks.timeline, name="timeline"),
    path("organisations/", organisations.organisation_list, name="organisations"),
    path(
        "organisations/<int:organisation_id>/",
        organisations.organisation_detail,
        name="organisation",
    ),
    path("matrix/", organisations.matrix, name="matrix"),
    path("kpis/", library.kpis, name="kpis"),
    path("cases/", library.cases, name="cases"),
    path("scores/", library.score_table, name="scores"),
    path("audit/", library.audit, name="audit"),
]
