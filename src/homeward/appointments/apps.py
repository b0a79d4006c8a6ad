from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "homeward.appointments"
    label = "appointments"
