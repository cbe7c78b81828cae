from django.urls import path

from duban.site.accounts import views

urlpatterns = [
    path("", views.account_list, name="account-list"),
    path("new/", views.account_new, name="account-new"),
    path("import/", views.account_import, name="account-import"),
    path("import/apply/", views.account_import_apply, name="account-import-apply"),
    path("import/template/", views.account_template, name="account-template"),
    path("passwords/", views.account_passwords, name="account-passwords"),
    path("passwords/download/", views.account_passwords_download, name="account-passwords-download"),
    path("<int:pk>/", views.account_detail, name="account-detail"),
    path("<int:pk>/action/", views.account_action, name="account-action"),
]
