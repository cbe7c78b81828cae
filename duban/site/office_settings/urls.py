"""/settings/: the office's own settings, one page per section."""
from __future__ import annotations

from django.urls import path

from duban.site.office_settings import views

urlpatterns = [
    path("", views.index, name="settings"),
    path("office/", views.office_details, name="settings-office"),
    path("escalation/", views.escalation, name="settings-escalation"),
    path("escalation/<slug:kind>/", views.escalation_rule, name="settings-escalation-rule"),
    path("letter-templates/", views.letter_templates, name="settings-letter-templates"),
    path("letter-templates/<slug:kind>/", views.letter_template, name="settings-letter-template"),
    path("document-templates/", views.document_templates, name="settings-document-templates"),
    path("document-templates/<slug:kind>/", views.document_template, name="settings-document-template"),
    path("deadlines/", views.deadlines, name="settings-deadlines"),
    path("workdays/", views.workday_overrides, name="settings-workdays"),
    path("workdays/<str:date>/remove/", views.workday_remove, name="settings-workday-remove"),
    path("status-words/", views.vocabulary, name="settings-vocabulary"),
    path("channels/", views.channels, name="settings-channels"),
    path("channels/robots/new/", views.robot_new, name="settings-robot-new"),
    path("channels/robots/<int:pk>/", views.robot_edit, name="settings-robot"),
    path("channels/robots/<int:pk>/test/", views.robot_test, name="settings-robot-test"),
    path("channels/smtp/", views.smtp, name="settings-smtp"),
    path("channels/smtp/test/", views.smtp_test, name="settings-smtp-test"),
]
