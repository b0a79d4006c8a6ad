from django.urls import path

from homeward.safeguarding import views

app_name = "safeguarding"

urlpatterns = [
    path("cases/<str:reference>/safeguarding/", views.checklist, name="checklist"),
    path("cases/<str:reference>/safeguarding/items/<int:item_id>/evidence", views.evidence, name="evidence"),
    path("cases/<str:reference>/safeguarding/items/<int:item_id>/remove/", views.item_remove, name="remove"),
]
