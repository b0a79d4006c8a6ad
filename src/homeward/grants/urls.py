from django.urls import path

from homeward.grants import views

app_name = "grants"

urlpatterns = [
    path("cases/<str:reference>/grants/", views.case_grants, name="case_grants"),
    path("cases/<str:reference>/grants/propose/", views.grant_propose, name="propose"),
    path("grants/reconcile/", views.reconcile, name="reconcile"),
    path("grants/<int:grant_id>/approve/", views.grant_approve, name="approve"),
    path("grants/<int:grant_id>/pay/", views.grant_pay, name="pay"),
    path("grants/<int:grant_id>/receipt/attach/", views.grant_attach_receipt, name="attach_receipt"),
    path("grants/<int:grant_id>/cancel/", views.grant_cancel, name="cancel"),
    path("grants/<int:grant_id>/return/", views.grant_return, name="return"),
    path("grants/<int:grant_id>/reissue/", views.grant_reissue, name="reissue"),
    path("grants/<int:grant_id>/receipt/", views.receipt, name="receipt"),
]
