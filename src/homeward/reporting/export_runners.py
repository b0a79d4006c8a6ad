"""Background runners of exports (registered with homeward.jobs).

Each table source registers its runner ``exports.<name>`` when its module is imported
(``export_sources.table_source``); this module, imported by the app's ``ready()``,
imports every module that registers one, so the worker knows them all. A new source
(a dashboard's tables) adds its module here.
"""

from homeward.reporting import case_export, dashboard_export, report_export  # noqa: F401 - they register sources
