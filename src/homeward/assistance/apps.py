from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "homeward.assistance"
    label = "assistance"
