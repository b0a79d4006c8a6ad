from django.urls import path

from homeward.programmes import views

app_name = "programmes"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    path("<int:pk>/versions/<int:version_id>/cash/", views.cash_edit, name="cash_edit"),
    path("<int:pk>/versions/new/", views.rules_edit, name="version_new"),
    path("<int:pk>/versions/<int:version_id>/", views.rules_edit, name="version_edit"),
]
