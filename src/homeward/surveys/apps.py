from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "homeward.surveys"
    label = "surveys"
