from django.urls import path

from homeward.appointments import views

app_name = "appointments"

urlpatterns = [
    path("appointments/", views.calendar, name="calendar"),
    path("appointments/book/", views.book, name="book"),
    path("appointments/<int:pk>/", views.detail, name="detail"),
    path("appointments/<int:pk>/mark/", views.mark, name="mark"),
    path("appointments/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("appointments/<int:pk>/reschedule/", views.reschedule, name="reschedule"),
    path("appointments/offices/", views.offices, name="offices"),
    path("appointments/offices/<int:pk>/", views.office, name="office"),
    path("appointments/offices/<int:pk>/hours/", views.office_hours_edit, name="office_hours"),
]
