from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "duban.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from duban.people import signals  # noqa: F401  (connects the login audit)
