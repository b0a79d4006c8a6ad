from django.urls import path

from homeward.accommodation import views

app_name = "accommodation"

urlpatterns = [
    path("accommodation/", views.board, name="board"),
    path("accommodation/facilities/new/", views.facility_create, name="facility_create"),
    path("accommodation/facilities/<int:pk>/", views.facility_edit, name="facility"),
    path("accommodation/facilities/<int:pk>/beds/", views.capacity_set, name="capacity_set"),
    path("accommodation/placements/<int:pk>/check-out/", views.check_out, name="check_out"),
    path("accommodation/waiting/<int:pk>/remove/", views.waiting_remove, name="waiting_remove"),
    path("cases/<str:reference>/accommodation/check-in/", views.check_in, name="check_in"),
    path("cases/<str:reference>/accommodation/waiting/", views.waiting_add, name="waiting_add"),
]
