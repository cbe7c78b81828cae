from __future__ import annotations

from django.urls import path

from duban.assessment import views

urlpatterns = [
    path("", views.scheme_list, name="assessment-list"),
    path("<int:pk>/", views.scheme_detail, name="assessment-scheme"),
    path("<int:pk>/units/<int:unit_id>/", views.unit_score, name="assessment-unit"),
    path("<int:pk>/run/", views.run_scoring, name="assessment-run"),
    path("<int:pk>/bonus/", views.add_bonus, name="assessment-bonus"),
]
