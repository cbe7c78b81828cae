from __future__ import annotations

from django.urls import path

from duban.documents import views

urlpatterns = [
    path("", views.index, name="documents-index"),
    path("report/", views.report, name="documents-report"),
    path("bulletin/", views.bulletin, name="documents-bulletin"),
    path("letters/<int:pk>/", views.letter, name="documents-letter"),
    path("briefings/new/", views.briefing_new, name="documents-briefing-new"),
    path("briefings/<int:pk>/", views.briefing, name="documents-briefing"),
]
