from django.urls import path

from homeward.health import views

app_name = "health"

urlpatterns = [
    path("cases/<str:reference>/health/appointment/", views.record, {"kind": "appointment"}, name="appointment"),
    path("cases/<str:reference>/health/referral/", views.record, {"kind": "referral"}, name="referral"),
    path("cases/<str:reference>/health/medicine/", views.record, {"kind": "medicine"}, name="medicine"),
    path("cases/<str:reference>/health/exam/", views.record, {"kind": "exam"}, name="exam"),
    path("cases/<str:reference>/health/cost/", views.record, {"kind": "cost"}, name="cost"),
    path("cases/<str:reference>/health/appointments/<int:pk>/", views.appointment_update, name="appointment_update"),
    path("cases/<str:reference>/health/referrals/<int:pk>/", views.referral_update, name="referral_update"),
    path("cases/<str:reference>/health/costs/<int:pk>/commit/", views.cost_commit, name="cost_commit"),
    path("health/costs/", views.costs, name="costs"),
    path("health/costs/<int:pk>/pay/", views.cost_pay, name="cost_pay"),
]
