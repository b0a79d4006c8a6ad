from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "homeward.partners"
    label = "partners"
