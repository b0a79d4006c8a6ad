from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "homeward.reporting"
    label = "reporting"

    def ready(self) -> None:
        # Registers the export runners with the background jobs.
        from homeward.reporting import export_runners  # noqa: F401
