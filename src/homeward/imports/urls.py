from django.urls import path

from homeward.imports import views

app_name = "imports"

urlpatterns = [
    path("imports/", views.home, name="home"),
    path("imports/<int:pk>/", views.map_columns, name="map"),
]
