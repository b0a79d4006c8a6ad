from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    name = "homeward.budgets"
    label = "budgets"
