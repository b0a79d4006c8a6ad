from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "homeward.health"
    label = "health"
