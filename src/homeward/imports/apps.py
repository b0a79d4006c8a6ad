from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "homeward.imports"
    label = "imports"

    def ready(self) -> None:
        # Registers the tracker import runner with the background jobs.
        from homeward.imports import runners  # noqa: F401
