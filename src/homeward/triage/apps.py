from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "homeward.triage"
    label = "triage"
