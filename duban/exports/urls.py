from __future__ import annotations

from django.urls import path

from duban.exports import views

urlpatterns = [
    path("", views.my_exports, name="export-list"),
    path("ledger/", views.ledger_export, name="export-ledger"),
    path("<int:pk>/", views.job_detail, name="export-job"),
    path("<int:pk>/download/", views.job_download, name="export-download"),
]
