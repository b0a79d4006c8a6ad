from django.urls import path

from homeward.travel import board_views, views

app_name = "travel"

_CASE = "cases/<str:reference>/travel/"
_ITINERARY = _CASE + "itineraries/<int:itinerary_id>/"

urlpatterns = [
    path("travel/board/", board_views.day_board, name="board"),
    path("travel/manifest/", board_views.arrival_manifest, name="manifest"),
    path(_CASE, views.case_travel, name="case"),
    path(_CASE + "documents/new/", views.document_request, name="document_request"),
    path(_CASE + "documents/<int:document_id>/", views.document_edit, name="document_edit"),
    path(_CASE + "itineraries/new/", views.itinerary_create, name="itinerary_create"),
    path(_ITINERARY + "edit/", views.itinerary_edit, name="itinerary_edit"),
    path(_ITINERARY + "confirm/", views.itinerary_confirm, name="itinerary_confirm"),
    path(_ITINERARY + "draft/", views.itinerary_back_to_draft, name="itinerary_draft"),
    path(_ITINERARY + "cancel/", views.itinerary_cancel, name="itinerary_cancel"),
    path(_ITINERARY + "reconciled/", views.itinerary_reconciled, name="itinerary_reconciled"),
    path(_ITINERARY + "segments/new/", views.segment_add, name="segment_add"),
    path(_ITINERARY + "segments/<int:segment_id>/remove/", views.segment_remove, name="segment_remove"),
    path(_ITINERARY + "tickets/new/", views.ticket_add, name="ticket_add"),
    path(_ITINERARY + "tickets/<int:ticket_id>/remove/", views.ticket_remove, name="ticket_remove"),
    path(_ITINERARY + "assistance/new/", views.assistance_add, name="assistance_add"),
    path(_ITINERARY + "assistance/<int:leg_id>/", views.assistance_edit, name="assistance_edit"),
    path(_ITINERARY + "assistance/<int:leg_id>/remove/", views.assistance_remove, name="assistance_remove"),
    path(_ITINERARY + "checks/new/", views.check_add, name="check_add"),
    path(_ITINERARY + "letter.pdf", views.letter, name="letter"),
]
