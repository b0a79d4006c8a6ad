from django.urls import path

from homeward.outreach import views

app_name = "outreach"

urlpatterns = [
    path("outreach/", views.campaign_list, name="campaigns"),
    path("outreach/campaigns/new/", views.campaign_create, name="campaign_create"),
    path("outreach/campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("outreach/campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("outreach/campaigns/<int:pk>/sessions/", views.campaign_add, {"part": "session"}, name="session_add"),
    path("outreach/campaigns/<int:pk>/materials/", views.campaign_add, {"part": "material"}, name="material_add"),
    path("outreach/campaigns/<int:pk>/meetings/", views.campaign_add, {"part": "meeting"}, name="meeting_add"),
    path("outreach/funnel/", views.funnel, name="funnel"),
    path("hotline/", views.hotline, name="hotline"),
    path("hotline/calls/", views.call_log, name="call_log"),
    path("hotline/calls/<int:pk>/inquiry/", views.call_to_inquiry, name="call_to_inquiry"),
    path("cases/<str:reference>/source/", views.case_source, name="case_source"),
]
