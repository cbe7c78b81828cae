from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _

# Sections of /admin/ that come from other packages and have no Chinese name of their own.
THIRD_PARTY_NAMES = {"axes": _("Login lockout"), "otp_totp": _("Authenticator apps"),
                     "django_tasks_database": _("Background jobs"), "otp_static": _("Backup codes")}
# Their model names, as those packages ask gettext for them: listed here so that our catalogue, which makemessages
# builds from this code, keeps a Chinese name for each row of those sections.
THIRD_PARTY_MODEL_NAMES = (_("access attempt"), _("access attempts"), _("access failure"), _("access failures"),
                           _("access log"), _("access logs"), _("Task Result"), _("Task Results"))


class SiteConfig(AppConfig):
    """The top layer: pages and jobs that span the domain (home, to-do, the review desk, the task page, the unit
    directory), the daily supervision job, the management commands that drive everything, and the demo."""

    name = "duban.site"
    label = "site"
    verbose_name = _("Site")

    def ready(self) -> None:
        """Name third-party sections of /admin/ in the reader's language, like every other section."""
        for config in apps.get_app_configs():
            if config.label in THIRD_PARTY_NAMES:
                config.verbose_name = THIRD_PARTY_NAMES[config.label]
