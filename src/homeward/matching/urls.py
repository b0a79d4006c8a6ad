from django.urls import path

from homeward.matching import live, views

app_name = "matching"

urlpatterns = [
    path("matching/check/", live.check, name="check"),
    *views.urlpatterns,
]
