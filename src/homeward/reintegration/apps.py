from django.apps import AppConfig


class ReintegrationConfig(AppConfig):
    name = "homeward.reintegration"
    label = "reintegration"
