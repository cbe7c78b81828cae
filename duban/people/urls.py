from django.urls import path

from duban.people import views

urlpatterns = [
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("security/", views.security, name="account-security"),
]
