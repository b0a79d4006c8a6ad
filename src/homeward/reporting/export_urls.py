"""Exports of case lists and report tables (mounted under the reporting app, namespace "reporting")."""

from django.urls import path

from homeward.reporting import export_views

urlpatterns = [
    path("reports/export/<slug:source>/", export_views.export, name="export"),
    path("reports/programmes/<int:pk>/export", export_views.report_export, name="report_export"),
]
