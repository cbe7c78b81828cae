from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "duban.imports"
    label = "imports"
    verbose_name = _("Document import")
