"""The reporting API: the donor report's figures, dashboards and exports, as JSON."""

from ninja import Router

from homeward.reporting import dashboard_api, export_api, report_api

router = Router(tags=["reporting"])
router.add_router("", report_api.router)
router.add_router("", dashboard_api.router)
router.add_router("", export_api.router)
