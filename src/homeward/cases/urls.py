from django.urls import path

from homeward.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_register, name="register"),
    path("new/member-row/", views.member_row, name="member_row"),
    path("referrals/", views.referral_inbox, name="referrals"),
    path("referrals/<int:pk>/accept/", views.referral_answer, {"answer": "accept"}, name="referral_accept"),
    path("referrals/<int:pk>/return/", views.referral_answer, {"answer": "return"}, name="referral_return"),
    path("<str:reference>/", views.case_detail, name="detail"),
    path("<str:reference>/edit/", views.case_edit, name="edit"),
    path("<str:reference>/transition/", views.case_transition, name="transition"),
    path("<str:reference>/assess/", views.case_assess, name="assess"),
    path("<str:reference>/refer/", views.case_refer, name="refer"),
    path("<str:reference>/assessment/override/", views.assessment_override, name="override"),
    path("<str:reference>/entitlements/", views.case_entitlements, name="entitlements"),
    path("<str:reference>/reads/", views.case_reads, name="reads"),
    path("<str:reference>/members/new/", views.member_add, name="member_add"),
    path("<str:reference>/members/<int:member_id>/edit/", views.member_edit, name="member_edit"),
    path("<str:reference>/members/<int:member_id>/remove/", views.member_remove, name="member_remove"),
    path("<str:reference>/members/<int:member_id>/documents/new/", views.document_add, name="document_add"),
    path(
        "<str:reference>/members/<int:member_id>/documents/<int:document_id>/remove/",
        views.document_remove,
        name="document_remove",
    ),
]
