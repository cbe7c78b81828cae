from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The top layer: pages and jobs that span the domain (home, to-do, the review desk, the task page, the unit
    directory), the daily supervision job, the management commands that drive everything, and the demo."""

    name = "duban.site"
    label = "site"
    verbose_name = _("Site")
