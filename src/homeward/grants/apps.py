from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "homeward.grants"
    label = "grants"
