from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from duban.letters import views as letter_views
from duban.people import views as people_views
from duban.site import first_run, task_page, unit_directory
from duban.site import views as site_views
from duban.tasks import bulk_views, source_views, workflow_views
from duban.tasks import views as task_views
from duban.tasks.reporting import views as report_views

urlpatterns = [
    path("", site_views.home, name="home"),
    path("healthz", site_views.healthz, name="healthz"),
    path("setup/", first_run.setup_page, name="first-run"),
    path("login/", people_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("duban.people.urls")),
    path("accounts/", include("duban.site.accounts.urls")),
    path("todo/", site_views.todo, name="todo"),
    path("review/", site_views.review_queue, name="review-queue"),
    path("tasks/", task_views.task_list, name="task-list"),
    path("tasks/dispatch/", workflow_views.dispatch, name="task-dispatch"),
    path("tasks/bulk/", bulk_views.bulk_start, name="task-bulk"),
    path("tasks/bulk/apply/", bulk_views.bulk_apply, name="task-bulk-apply"),
    path("tasks/new/", task_views.task_register, name="task-register"),
    path("tasks/<int:pk>/report/", report_views.report_form, name="report-form"),
    path("tasks/<int:pk>/acknowledge/", workflow_views.acknowledge, name="task-acknowledge"),
    path("tasks/<int:pk>/request/", workflow_views.make_request, name="task-request"),
    path("tasks/<int:pk>/reopen/", workflow_views.reopen, name="task-reopen"),
    path("tasks/<int:pk>/suspend/", workflow_views.suspend, name="task-suspend"),
    path("requests/<int:pk>/decide/", workflow_views.decide, name="request-decide"),
    path("reports/<int:pk>/", report_views.report_history, name="report-history"),
    path("reports/<int:pk>/review/", report_views.review, name="report-review"),
    path("reports/<int:pk>/approve/", report_views.approve, name="report-approve"),
    path("reports/attachments/<int:pk>/", report_views.attachment, name="report-attachment"),
    path("letters/", letter_views.letter_list, name="letter-list"),
    path("letters/<int:pk>/", letter_views.letter_detail, name="letter-detail"),
    path("letters/<int:pk>/acknowledge/", letter_views.letter_acknowledge, name="letter-acknowledge"),
    path("tasks/<int:pk>/", task_page.task_detail, name="task-detail"),
    path("tasks/<int:pk>/edit/", task_views.task_edit, name="task-edit"),
    path("tasks/<int:pk>/comment/", task_views.task_comment, name="task-comment"),
    path("sources/", source_views.source_list, name="source-list"),
    path("sources/<int:pk>/", source_views.source_edit, name="source-edit"),
    path("units/", unit_directory.unit_list, name="unit-list"),
    path("units/new/", unit_directory.unit_new, name="unit-new"),
    path("units/import/", unit_directory.unit_import, name="unit-import"),
    path("units/export/", unit_directory.unit_export, name="unit-export"),
    path("units/<int:pk>/", unit_directory.unit_detail, name="unit-detail"),
    path("units/<int:pk>/merge/", unit_directory.unit_merge, name="unit-merge"),
    path("units/<int:pk>/active/", unit_directory.unit_active, name="unit-active"),
    path("imports/", include("duban.imports.urls")),
    path("assessment/", include("duban.assessment.urls")),
    path("documents/", include("duban.documents.urls")),
    path("exports/", include("duban.exports.urls")),
    path("dashboard/", include("duban.dashboard.urls")),
    path("inbox/", include("duban.notify.urls")),
    path("settings/", include("duban.site.office_settings.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("duban.api.urls")),
    path("admin/", admin.site.urls),
]
