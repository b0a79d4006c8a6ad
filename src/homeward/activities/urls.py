from django.urls import path

from homeward.activities import views

app_name = "activities"

urlpatterns = [
    path("activities/", views.activity_list, name="list"),
    path("activities/new/", views.activity_create, name="create"),
    path("activities/<int:pk>/", views.activity_detail, name="detail"),
    path("activities/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("activities/enrolments/<int:pk>/complete/", views.complete, name="complete"),
    path("activities/enrolments/<int:pk>/drop/", views.drop, name="drop"),
    path("cases/<str:reference>/activities/", views.case_enrol, name="enrol"),
]
