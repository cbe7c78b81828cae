from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from duban.api.urls import api
from duban.core import views as core_views
from duban.tasks import views as task_views
from duban.units import views as unit_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("tasks/", task_views.task_list, name="task-list"),
    path("tasks/<int:pk>/", task_views.task_detail, name="task-detail"),
    path("tasks/<int:pk>/edit/", task_views.task_edit, name="task-edit"),
    path("tasks/<int:pk>/comment/", task_views.task_comment, name="task-comment"),
    path("units/", unit_views.unit_list, name="unit-list"),
    path("imports/", include("duban.imports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
