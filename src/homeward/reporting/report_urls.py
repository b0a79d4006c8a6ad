"""Donor report pages (mounted by ``reporting.urls`` under the ``reporting`` namespace)."""

from django.urls import path

from homeward.reporting import report_views as views

urlpatterns = [
    path("reports/", views.home, name="home"),
    path("reports/indicators/", views.definitions, name="definitions"),
    path("reports/programmes/<int:programme_id>/", views.programme_report, name="programme_report"),
    path("reports/programmes/<int:programme_id>/report.pdf", views.programme_report_pdf, name="programme_report_pdf"),
    path(
        "reports/programmes/<int:programme_id>/report.xlsx", views.programme_report_xlsx, name="programme_report_xlsx"
    ),
    path("reports/programmes/<int:programme_id>/new/", views.report_create, name="report_create"),
    path("reports/saved/<int:report_id>/", views.saved_report, name="saved_report"),
    path("reports/saved/<int:report_id>/narrative/", views.report_narrative, name="report_narrative"),
    path("reports/saved/<int:report_id>/submit/", views.report_submit, name="report_submit"),
    path("reports/saved/<int:report_id>/report.pdf", views.saved_report_pdf, name="saved_report_pdf"),
    path("reports/saved/<int:report_id>/report.xlsx", views.saved_report_xlsx, name="saved_report_xlsx"),
]
