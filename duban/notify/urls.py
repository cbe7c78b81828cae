from __future__ import annotations

from django.urls import path

from duban.notify import views

urlpatterns = [
    path("", views.inbox, name="notify-inbox"),
    path("<int:pk>/read/", views.read, name="notify-read"),
    path("read-all/", views.read_all, name="notify-read-all"),
    path("settings/", views.preferences, name="notify-settings"),
]
