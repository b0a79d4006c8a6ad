from django.urls import path

from homeward.counselling import views

app_name = "counselling"

urlpatterns = [
    path("cases/<str:reference>/counselling/", views.sessions, name="sessions"),
    path("cases/<str:reference>/counselling/<int:session_id>/sign-off/", views.session_sign_off, name="sign_off"),
    path("cases/<str:reference>/declarations/", views.declarations, name="declarations"),
    path(
        "cases/<str:reference>/declarations/<int:declaration_id>/declaration.pdf",
        views.declaration_pdf,
        name="declaration_pdf",
    ),
    path(
        "cases/<str:reference>/declarations/<int:declaration_id>/scan",
        views.declaration_scan,
        name="scan",
    ),
    path(
        "cases/<str:reference>/declarations/<int:declaration_id>/scan/upload/",
        views.declaration_upload,
        name="scan_upload",
    ),
]
