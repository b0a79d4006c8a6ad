from django.urls import path

from homeward.feedback import views

app_name = "feedback"

urlpatterns = [
    # Public, no account: the form reached by the printed link or by typing the code.
    path("f/", views.public_code, name="public_code"),
    path("f/thanks/", views.thanks, name="thanks"),
    path("f/<str:token>/", views.public, name="public"),
    # Staff.
    path("cases/<str:reference>/feedback/", views.case_feedback, name="case"),
    path("cases/<str:reference>/feedback/phone/", views.log_phone, name="log_phone"),
    path("cases/<str:reference>/feedback/link/", views.link_print, name="link"),
    path("cases/<str:reference>/feedback/link/regenerate/", views.link_regenerate, name="link_regenerate"),
    path("cases/<str:reference>/feedback/link/revoke/", views.link_revoke, name="link_revoke"),
    path("feedback/<int:feedback_id>/read/", views.mark_read, name="read"),
    path("feedback/<int:feedback_id>/answer/", views.answer, name="answer"),
    path("feedback/<int:feedback_id>/complaint/", views.mark_complaint, name="complaint"),
]
