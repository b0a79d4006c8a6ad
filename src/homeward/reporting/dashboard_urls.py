"""The dashboard page (mounted by reporting/urls.py, app name "reporting")."""

from django.urls import path

from homeward.reporting import dashboard_views

urlpatterns: list = [
    path("reports/dashboard/", dashboard_views.dashboard_page, name="dashboard"),
]
