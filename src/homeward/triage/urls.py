from django.urls import path

from homeward.triage import views

app_name = "triage"

urlpatterns = [
    path("triage/", views.queue, name="queue"),
    path("triage/<int:pk>/", views.inquiry_detail, name="inquiry"),
    path("triage/<int:pk>/assign/", views.assign, name="assign"),
    path("triage/<int:pk>/contact/", views.contact, name="contact"),
    path("triage/<int:pk>/case/", views.convert, name="convert"),
    path("triage/<int:pk>/close/", views.close, name="close"),
    path("triage/<int:pk>/reopen/", views.reopen, name="reopen"),
]
