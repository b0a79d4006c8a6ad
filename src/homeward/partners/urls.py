from django.urls import path

from homeward.partners import views

app_name = "partners"

urlpatterns = [
    path("partners/", views.partner_list, name="list"),
    path("partners/new/", views.partner_create, name="create"),
    path("partners/<int:pk>/", views.partner_detail, name="detail"),
    path("partners/<int:pk>/edit/", views.partner_edit, name="edit"),
    path("partners/<int:pk>/deactivate/", views.partner_set_active, {"active": False}, name="deactivate"),
    path("partners/<int:pk>/reactivate/", views.partner_set_active, {"active": True}, name="reactivate"),
    path("partners/<int:pk>/contacts/", views.contact_add, name="contact_add"),
    path("partners/<int:pk>/contacts/<int:contact_id>/remove/", views.contact_remove, name="contact_remove"),
    path("cases/<str:reference>/incoming-referrals/", views.referral_record, name="referral_record"),
    path(
        "cases/<str:reference>/incoming-referrals/<int:referral_id>/remove/",
        views.referral_remove,
        name="referral_remove",
    ),
]
