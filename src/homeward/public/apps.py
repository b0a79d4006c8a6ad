from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "homeward.public"
    label = "public"
