from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "homeward.monitoring"
    label = "monitoring"
