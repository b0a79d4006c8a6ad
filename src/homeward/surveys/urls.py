from django.urls import path

from homeward.surveys import views

app_name = "surveys"

urlpatterns = [
    path("cases/<str:reference>/surveys/", views.case_surveys, name="case_surveys"),
    path("cases/<str:reference>/surveys/rss/", views.rss_record, name="rss_record"),
    path(
        "cases/<str:reference>/surveys/satisfaction/<slug:code>/",
        views.satisfaction_record,
        name="satisfaction_record",
    ),
    path("surveys/instruments/", views.instrument_list, name="instruments"),
    path("surveys/instruments/weights/", views.weight_table_load, name="weight_table_load"),
    path("surveys/instruments/<int:instrument_id>/xlsform/", views.instrument_xlsform, name="xlsform"),
    path("surveys/instruments/<int:instrument_id>/status/", views.instrument_status, name="instrument_status"),
    path("surveys/import/", views.kobo_upload, name="import"),
    path("surveys/import/confirm/", views.kobo_confirm, name="import_confirm"),
]
