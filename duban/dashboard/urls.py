from __future__ import annotations

from django.urls import path

from duban.dashboard import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
