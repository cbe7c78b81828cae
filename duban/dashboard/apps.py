from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "duban.dashboard"
    label = "dashboard"
    verbose_name = _("Task chart")
