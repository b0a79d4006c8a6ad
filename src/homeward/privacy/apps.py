from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Consent, data-subject rights (export, anonymisation) and retention after closure."""

    name = "homeward.privacy"
    verbose_name = _("privacy")
