from django.urls import path

from homeward.assistance import views

app_name = "assistance"

urlpatterns = [
    path("providers/", views.provider_list, name="provider_list"),
    path("providers/new/", views.provider_create, name="provider_create"),
    path("providers/<int:provider_id>/", views.provider_detail, name="provider_detail"),
    path("providers/<int:provider_id>/edit/", views.provider_edit, name="provider_edit"),
    path("providers/<int:provider_id>/vetting/", views.provider_vetting, name="provider_vetting"),
]
