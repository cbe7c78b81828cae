from django.urls import path

from duban.imports import views

urlpatterns = [
    path("", views.import_start, name="import-start"),
    path("<int:pk>/", views.import_preview, name="import-preview"),
]
