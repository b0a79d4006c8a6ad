from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "homeward.matching"
    label = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        # Registers the batch duplicate run with the background jobs.
        from homeward.matching import runners  # noqa: F401
