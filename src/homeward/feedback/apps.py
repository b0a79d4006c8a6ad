from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "homeward.feedback"
    label = "feedback"
