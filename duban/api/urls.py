from django.urls import path

from duban.api.app import api

urlpatterns = [path("", api.urls)]
