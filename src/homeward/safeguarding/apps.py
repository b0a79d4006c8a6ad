from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "homeward.safeguarding"
    label = "safeguarding"
