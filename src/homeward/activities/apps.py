from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "homeward.activities"
    label = "activities"
