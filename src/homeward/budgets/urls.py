from django.urls import path

from homeward.budgets import views

app_name = "budgets"

urlpatterns = [
    path("programmes/<int:programme_id>/budget/", views.programme_budget, name="programme_budget"),
    path("programmes/<int:programme_id>/budget/lines/<int:line_id>/", views.budget_line, name="budget_line"),
    path("cases/<str:reference>/money/", views.case_money, name="case_money"),
    path("payments/export/", views.payments_export, name="payments_export"),
]
