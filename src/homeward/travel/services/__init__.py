"""Every write of travel: documents asked of embassies, itineraries, segments, tickets, help at each leg.

Each service checks that the acting user arranges travel for the case's host
mission, validates in the user's words, and writes in one transaction tagged
with the case for the audit log. The work they finish closes the workflow's
tasks (``work.services.task_done_for``). Import them from here.
"""

from homeward.travel.services.assistance import assistance_add, assistance_remove, assistance_update
from homeward.travel.services.checks import pre_departure_check_record
from homeward.travel.services.documents import travel_document_request, travel_document_update
from homeward.travel.services.itineraries import (
    itinerary_back_to_draft,
    itinerary_cancel,
    itinerary_confirm,
    itinerary_create,
    itinerary_reconciled,
    itinerary_update,
)
from homeward.travel.services.segments import segment_add, segment_remove
from homeward.travel.services.tickets import ticket_add, ticket_remove

__all__ = [
    "assistance_add",
    "assistance_remove",
    "assistance_update",
    "itinerary_back_to_draft",
    "itinerary_cancel",
    "itinerary_confirm",
    "itinerary_create",
    "itinerary_reconciled",
    "itinerary_update",
    "pre_departure_check_record",
    "segment_add",
    "segment_remove",
    "ticket_add",
    "ticket_remove",
    "travel_document_request",
    "travel_document_update",
]
