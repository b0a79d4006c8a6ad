from django.apps import AppConfig


class CounsellingConfig(AppConfig):
    name = "homeward.counselling"
    label = "counselling"
