"""Reporting pages: the donor report, dashboards, exports and the indicator definitions."""

from homeward.reporting import dashboard_urls, export_urls, report_urls

app_name = "reporting"

urlpatterns = [*report_urls.urlpatterns, *dashboard_urls.urlpatterns, *export_urls.urlpatterns]
