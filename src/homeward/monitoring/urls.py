from django.urls import path

from homeward.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("cases/<str:reference>/monitoring/", views.case_monitoring, name="case_monitoring"),
    path("cases/<str:reference>/monitoring/visits/", views.visit_record, name="record"),
    path("cases/<str:reference>/monitoring/close/", views.case_close, name="close"),
    path("monitoring/visits/<int:visit_id>/missed/", views.visit_missed, name="missed"),
    path("monitoring/visits/<int:visit_id>/photos/", views.visit_photos, name="add_photos"),
    path("monitoring/photos/<int:photo_id>/", views.photo, name="photo"),
]
