from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "homeward.work"
    label = "work"
