from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "homeward.outreach"
    label = "outreach"
