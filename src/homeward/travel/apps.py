from django.apps import AppConfig


class TravelConfig(AppConfig):
    name = "homeward.travel"
    label = "travel"
