from django.urls import path

from homeward.reintegration import views

app_name = "reintegration"

urlpatterns = [
    path("cases/<str:reference>/plan/", views.case_plans, name="case_plans"),
    path("cases/<str:reference>/plan/<int:plan_id>/needs/", views.plan_needs, name="plan_needs"),
    path("cases/<str:reference>/plan/<int:plan_id>/components/", views.component_add, name="component_add"),
    path("cases/<str:reference>/plan/<int:plan_id>/approve/", views.plan_approve, name="plan_approve"),
    path("cases/<str:reference>/plan/<int:plan_id>/close/", views.plan_close, name="plan_close"),
    path("cases/<str:reference>/plan/<int:plan_id>/agreement.pdf", views.agreement_pdf, name="agreement_pdf"),
    path("cases/<str:reference>/plan/<int:plan_id>/agreement/", views.agreement_upload, name="agreement_upload"),
    path("cases/<str:reference>/plan/<int:plan_id>/agreement/signed", views.agreement_scan, name="agreement_scan"),
    path("reintegration/components/<int:component_id>/", views.component, name="component"),
    path("reintegration/components/<int:component_id>/<str:action>/", views.component_action, name="component_action"),
]
