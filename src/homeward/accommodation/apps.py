from django.apps import AppConfig


class AccommodationConfig(AppConfig):
    name = "homeward.accommodation"
    label = "accommodation"
