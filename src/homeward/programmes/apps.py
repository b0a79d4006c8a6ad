from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "homeward.programmes"
    label = "programmes"
