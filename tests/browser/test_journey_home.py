"""A family of three goes home, from registration in Athens to arrival in Islamabad, all through the pages.

Only the missions, the users and the programme are set up in Python; everything
about the case is done in the browser by the person whose job it is: the
counsellor registers, counsels and has the declaration signed, a supervisor
refers the case to Pakistan, the movement officer arranges the journey and sees
the family off, and the origin mission confirms the arrival.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from tests import journey
from tests.browser.conftest import login
from tests.partners.helpers import partner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

REFERENCE = r"GR-\d{4}-\d{6}"
EMBASSY = "Embassy of Pakistan, Athens"
# A scan as small as a PDF can be: the upload is judged by its first bytes.
SIGNED_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

PRINCIPAL, SPOUSE, CHILD = "Imran Qureshi", "Ayesha Qureshi", "Sara Qureshi"


# ---------------------------------------------------------------- helpers


def _submit(page: Page, button: Locator, success: str | re.Pattern[str]) -> None:
    """Press a form's button, wait for the page it leads to, and see the success message there."""
    with page.expect_navigation():
        button.click()
    errors = page.get_by_role("alert")
    if errors.count():
        raise AssertionError(f"{page.url}: {errors.all_inner_texts()}")
    expect(page.get_by_role("status").filter(has_text=success)).to_be_visible()


def _log_out(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()


def _open_case(page: Page, reference: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases", exact=True).click()
    expect(page.get_by_role("heading", name="Cases", level=1)).to_be_visible()
    page.get_by_role("main").get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Case {reference}")


def _status(page: Page) -> Locator:
    return page.locator("#case-status")


def _move(page: Page, label: str, status: str, *, note: str = "", confirmed_by: str | None = None) -> None:
    """Take a step under "Next steps" on the case page; it must not be blocked."""
    step = page.locator("#workflow form").filter(has=page.get_by_role("button", name=label, exact=True))
    expect(step).to_have_count(1)
    blocked = step.locator(".blocked")
    assert not blocked.count(), f"{label!r} is blocked: {blocked.all_inner_texts()}"
    if confirmed_by:
        step.get_by_role("combobox", name="Arrival confirmed by").select_option(label=confirmed_by)
    if note:
        step.get_by_role("textbox", name="Note").fill(note)
    _submit(page, step.get_by_role("button", name=label, exact=True), f"is now {status}.")
    expect(_status(page)).to_have_text(status)


def _member_rows(page: Page, legend: str) -> Locator:
    return page.locator("fieldset").filter(has=page.locator("legend", has_text=legend))


def _fill_person(
    group: Locator,
    *,
    given: str,
    family: str,
    born: dt.date,
    sex: str,
    relationship: str | None = None,
    passport: str | None = None,
    languages: list[str] | None = None,
) -> None:
    if relationship:
        group.get_by_role("combobox", name="Relationship to the principal applicant").select_option(label=relationship)
    group.get_by_role("textbox", name="Given names", exact=True).fill(given)
    group.get_by_role("textbox", name="Family name", exact=True).fill(family)
    group.get_by_role("combobox", name="Sex", exact=True).select_option(label=sex)
    group.get_by_role("spinbutton", name="Year of birth").fill(str(born.year))
    group.get_by_role("combobox", name="Month", exact=True).select_option(str(born.month))
    group.get_by_role("spinbutton", name="Day", exact=True).fill(str(born.day))
    group.get_by_role("combobox", name="Nationality", exact=True).select_option(label="Pakistan")
    if languages:
        group.get_by_role("listbox", name="Languages").select_option(languages)
    if passport:
        group.get_by_role("combobox", name="Document", exact=True).select_option(label="passport")
        group.get_by_role("textbox", name="Document number").fill(passport)
        group.get_by_role("combobox", name="Issuing country").select_option(label="Pakistan")
        group.get_by_label("Expires on").fill("2030-06-30")


def _add_member(page: Page) -> Locator:
    rows = _member_rows(page, "Family member")
    before = rows.count()
    page.get_by_role("button", name="Add a family member").click()
    expect(rows).to_have_count(before + 1)
    return rows.nth(before)


def _itinerary(page: Page) -> Locator:
    return page.locator("article.itinerary")


def _open_details(block: Locator, summary: str) -> Locator:
    """Open a folded form ("Add a segment", …) and return it."""
    details = block.locator("details").filter(has=block.page.locator("summary", has_text=summary))
    details.locator("summary").click()
    form = details.locator("form")
    expect(form).to_be_visible()
    return form


def _local(day: dt.date, hour: int, minute: int) -> str:
    return dt.datetime.combine(day, dt.time(hour, minute)).strftime("%Y-%m-%dT%H:%M")


# ---------------------------------------------------------------- the journey


def _register(page: Page) -> str:
    page.get_by_role("main").get_by_role("link", name="Register a case").click()
    expect(page.get_by_role("heading", name="Register a case", level=1)).to_be_visible()
    page.get_by_role("combobox", name="Destination country").select_option(label="Pakistan")
    page.get_by_role("combobox", name="Referral source").select_option(label="NGO")
    page.get_by_role("combobox", name="Legal status").select_option("protection_rejected")

    _fill_person(
        _member_rows(page, "Principal applicant"),
        given="Imran", family="Qureshi", born=dt.date(1985, 3, 14), sex="male",
        passport="PK1234567", languages=["ur"],
    )  # fmt: skip
    _fill_person(
        _add_member(page),
        relationship="spouse or partner", given="Ayesha", family="Qureshi", born=dt.date(1988, 7, 2), sex="female",
        passport="PK7654321",
    )  # fmt: skip
    _fill_person(
        _add_member(page), relationship="child", given="Sara", family="Qureshi", born=dt.date(2016, 9, 20), sex="female"
    )

    _submit(page, page.get_by_role("button", name="Register the case"), re.compile(rf"Case {REFERENCE} registered\."))
    reference = re.search(REFERENCE, page.get_by_role("heading", level=1).inner_text()).group(0)
    expect(page.get_by_text("family of 3")).to_be_visible()
    for name, relationship in ((PRINCIPAL, "principal applicant"), (SPOUSE, "spouse or partner"), (CHILD, "child")):
        expect(page.get_by_role("region", name=name)).to_contain_text(relationship)
    expect(_status(page)).to_have_text("registered")
    return reference


def _assess_and_start_counselling(page: Page) -> None:
    eligibility = page.locator("#eligibility")
    eligibility.get_by_role("combobox", name="Programme").select_option(label="GR/TEST — Greece test")
    _submit(page, eligibility.get_by_role("button", name="Assess eligibility"), "Assessed: eligible.")
    _move(page, "Confirm eligibility", "eligibility assessed")
    _move(page, "Start counselling", "in counselling")


def _counsel(page: Page, reference: str) -> None:
    page.locator("#counselling").get_by_role("link", name="Counselling", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Counselling of case {reference}")
    form = page.locator("form").filter(has=page.get_by_role("button", name="Record the session"))
    form.get_by_label("Date").fill(timezone.localdate().isoformat())
    form.get_by_role("combobox", name="How it was held").select_option(label="in person")
    form.get_by_role("combobox", name="Language", exact=True).select_option("ur")
    form.get_by_role("combobox", name="Interpreter or cultural mediator").select_option(label="interpreter")
    form.get_by_role("textbox", name="Their name").fill("Bilal Ahmed")
    for member in (f"{SPOUSE} (spouse or partner)", f"{CHILD} (child)"):
        form.get_by_role("checkbox", name=member).check()
    expect(form.get_by_role("checkbox", name=f"{PRINCIPAL} (principal applicant)")).to_be_checked()
    for topic in ("the return process", "reintegration options", "travel documents"):
        form.get_by_role("checkbox", name=topic, exact=True).check()
    form.get_by_role("textbox", name="The migrant's questions").fill("Can Sara start school in Lahore?")
    form.get_by_role("combobox", name="Outcome").select_option(label="decided to return")
    form.get_by_role("checkbox", name=re.compile("informed decision")).check()
    _submit(page, form.get_by_role("button", name="Record the session"), "Counselling session recorded.")

    row = page.locator("#sessions tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("in person")
    expect(row).to_contain_text("Urdu")
    expect(row).to_contain_text("interpreter: Bilal Ahmed")
    expect(row).to_contain_text(f"{PRINCIPAL}, {SPOUSE}, {CHILD}")
    expect(row).to_contain_text("decided to return")

    page.get_by_role("link", name="Back to the case").click()
    _move(page, "Record the decision to return", "return declared")


def _declare(page: Page, reference: str) -> None:
    page.locator("#counselling").get_by_role("link", name="Declaration", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Declaration of voluntary return, case {reference}")
    expect(page.get_by_text("No declaration prepared yet.")).to_be_visible()
    prepare = page.locator("form").filter(has=page.get_by_role("button", name="Prepare the declaration"))
    prepare.get_by_role("checkbox", name="Consents to the processing of personal data").check()
    prepare.get_by_role("checkbox", name="Consents to sharing with the mission in the country of origin").check()
    _submit(page, prepare.get_by_role("button", name="Prepare the declaration"), "Declaration prepared")

    declaration = page.locator("section.declaration")
    expect(declaration).to_have_count(1)
    expect(declaration).to_contain_text("not signed yet")
    with page.expect_download() as download_info:
        declaration.get_by_role("link", name="Download the PDF to print").click()
    download = download_info.value
    assert download.suggested_filename == f"declaration-{reference}.pdf"
    with open(download.path(), "rb") as printed:
        assert printed.read(4) == b"%PDF"

    upload = declaration.locator("form").filter(has=page.get_by_role("button", name="Upload"))
    upload.get_by_label("Scan of the signed declaration").set_input_files(
        files=[{"name": "signed.pdf", "mimeType": "application/pdf", "buffer": SIGNED_PDF}]
    )
    upload.get_by_label("Signed on").fill(timezone.localdate().isoformat())
    upload.get_by_role("checkbox", name=f"{PRINCIPAL} (principal applicant)").check()
    upload.get_by_role("checkbox", name=f"{SPOUSE} (spouse or partner)").check()
    _submit(page, upload.get_by_role("button", name="Upload"), "Signed declaration uploaded.")
    expect(declaration).to_contain_text("signed")
    expect(declaration).not_to_contain_text("not signed yet")
    expect(declaration).to_contain_text(f"Signed by: {PRINCIPAL}, {SPOUSE}")

    page.get_by_role("link", name="Back to the case").click()
    _move(page, "Start travel preparation", "travel preparation")


def _refer(page: Page) -> None:
    refer = page.locator("#refer")
    refer.get_by_role("combobox", name="Refer to").select_option(label="PK — IOM Pakistan")
    _submit(page, refer.get_by_role("button", name="Refer"), "Case referred to IOM Pakistan.")
    expect(page.locator("#referral")).to_contain_text("awaiting an answer")


def _accept_referral(page: Page, reference: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile("Referrals")).click()
    card = page.locator(".referral").filter(has_text=reference)
    expect(card).to_contain_text("Ayesha")  # the household travels in the package
    _submit(page, card.get_by_role("button", name="Accept the case"), f"Case {reference} accepted.")
    expect(page.get_by_text("GR → PK")).to_be_visible()


def _laissez_passer(page: Page) -> None:
    documents = page.locator("#documents")
    request = documents.locator("form")
    request.get_by_role("combobox", name="Traveller").select_option(label=CHILD)
    request.get_by_role("combobox", name="Kind").select_option(label="laissez-passer")
    request.get_by_role("combobox", name="Embassy or consulate").select_option(label=EMBASSY)
    request.get_by_label("Requested on").fill(timezone.localdate().isoformat())
    _submit(page, request.get_by_role("button", name="Request"), "Travel document requested.")

    child = documents.locator("tr.traveller-documents").filter(has_text=CHILD)
    expect(child).to_contain_text(f"laissez-passer — {EMBASSY}")
    expect(child.locator(".badge").first).to_have_text("requested")
    expect(child).to_contain_text("no valid document")
    child.get_by_role("link", name="update").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"laissez-passer for {CHILD}")
    page.get_by_role("combobox", name="Status").select_option(label="issued")
    page.get_by_label("Issued on").fill(timezone.localdate().isoformat())
    page.get_by_role("textbox", name="Document number").fill("LP0042317")
    page.get_by_label("Expires on").fill((timezone.localdate() + dt.timedelta(days=365)).isoformat())
    _submit(page, page.get_by_role("button", name="Save"), "Travel document saved.")
    child = page.locator("#documents tr.traveller-documents").filter(has_text=CHILD)
    expect(child.locator(".badge").first).to_have_text("issued")
    expect(child).to_contain_text("LP0042317")
    expect(child.locator(".badge").last).to_have_text("yes")


def _book(page: Page, flight_day: dt.date) -> None:
    start = page.locator("form").filter(has=page.get_by_role("button", name="Start the itinerary"))
    start.get_by_role("textbox", name="Booking reference").fill("QK7TRA")
    for name in (PRINCIPAL, SPOUSE, CHILD):
        expect(start.get_by_role("checkbox", name=name, exact=True)).to_be_checked()
    start.get_by_role("textbox", name="Final address", exact=True).fill("House 12, Street 4, G-9, Islamabad")
    _submit(page, start.get_by_role("button", name="Start the itinerary"), "Itinerary started: add its segments.")
    itinerary = _itinerary(page)
    expect(itinerary).to_have_count(1)
    expect(itinerary).to_have_attribute("data-status", "draft")

    legs = [
        ("TK", "1844", "ATH", _local(flight_day, 10, 0), "IST", _local(flight_day, 12, 30)),
        ("TK", "710", "IST", _local(flight_day, 14, 30), "ISB", _local(flight_day, 23, 55)),
    ]
    for carrier, number, origin, departs, destination, arrives in legs:
        form = _open_details(itinerary, "Add a segment")
        form.get_by_role("textbox", name="Carrier").fill(carrier)
        form.get_by_role("textbox", name="Flight or route number").fill(number)
        form.get_by_role("textbox", name="From (IATA)").fill(origin)
        form.get_by_label("Departs (local time at the airport)").fill(departs)
        form.get_by_role("textbox", name="To (IATA)").fill(destination)
        form.get_by_label("Arrives (local time at the airport)").fill(arrives)
        _submit(page, form.get_by_role("button", name="Add the segment"), "Segment added.")
    expect(itinerary.locator("tr.segment")).to_have_count(2)
    expect(itinerary.get_by_role("heading", level=3)).to_contain_text("ATH → IST → ISB")

    for n, name in enumerate((PRINCIPAL, SPOUSE, CHILD), start=1):
        form = _open_details(itinerary, "Add a ticket")
        form.get_by_role("combobox", name="Traveller").select_option(label=name)
        form.get_by_role("textbox", name="Ticket number").fill(f"235000000000{n}")
        form.get_by_role("spinbutton", name="Cost").fill("410.50")
        expect(form.get_by_role("textbox", name="Currency")).to_have_value("EUR")
        _submit(page, form.get_by_role("button", name="Add the ticket"), "Ticket added.")
    expect(itinerary.locator("ul.tickets li")).to_have_count(3)

    help_at = [
        ("departure", "ATH", "IOM Greece", "Check-in desk, Terminal A"),
        ("transit", "IST", "IOM Greece", "Transfer desk, gate area F"),
        ("arrival", "ISB", "IOM Pakistan", "Arrivals hall, IOM sign"),
    ]
    for kind, airport, mission, meeting_point in help_at:
        form = _open_details(itinerary, "Arrange assistance")
        form.get_by_role("combobox", name="Where").select_option(label=kind)
        form.get_by_role("textbox", name="Airport (IATA)").fill(airport)
        form.get_by_role("combobox", name="Provided by").select_option(label=mission)
        form.get_by_role("textbox", name="Meeting point").fill(meeting_point)
        form.get_by_role("combobox", name="Status").select_option(label="confirmed")
        _submit(page, form.get_by_role("button", name="Arrange"), "Assistance arranged.")
    for kind, airport, mission, _point in help_at:
        leg = itinerary.locator(f'tr.leg[data-kind="{kind}"]')
        expect(leg).to_contain_text(airport)
        expect(leg).to_contain_text(mission)
        expect(leg).to_contain_text("confirmed")

    _submit(page, itinerary.get_by_role("button", name="Confirm the booking"), "Itinerary confirmed.")
    expect(_itinerary(page)).to_have_attribute("data-status", "confirmed")


def _check(page: Page) -> None:
    itinerary = _itinerary(page)
    form = _open_details(itinerary, "Record the check")
    expect(form.get_by_label("Checked at")).to_have_value("")  # empty: now
    for item in ("Fit to travel", "Documents in order", "Still willing to return"):
        form.get_by_role("checkbox", name=item).check()
    _submit(page, form.get_by_role("button", name="Record the check"), "Pre-embarkation check recorded.")
    expect(_itinerary(page).locator("ul.checks li")).to_contain_text("passed")


def _expect_timeline(page: Page, received_by: str) -> None:
    timeline = page.get_by_role("region", name="Timeline")
    expect(timeline).to_be_visible()
    # The moves, newest first.
    expect(timeline.locator("li.timeline-transition strong")).to_have_text(
        [
            "departed → arrived",
            "travel booked → departed",
            "travel preparation → travel booked",
            "return declared → travel preparation",
            "in counselling → return declared",
            "eligibility assessed → in counselling",
            "registered → eligibility assessed",
        ]
    )
    arrival = timeline.locator("li.timeline-transition").first
    expect(arrival).to_contain_text("Met by IOM Pakistan in the arrivals hall")
    expect(arrival).to_contain_text(received_by)
    for text in [
        "Counselling session (in person): decided to return",
        "Informed decision to return recorded.",
        "Declaration of voluntary return prepared",
        "Signed declaration uploaded",
        f"laissez-passer requested for {CHILD} from {EMBASSY}",
        f"laissez-passer issued for {CHILD}",
        "Pre-embarkation check passed",
    ]:
        expect(timeline.get_by_role("listitem").filter(has_text=text)).to_have_count(1)


def test_a_family_of_three_goes_home_from_athens_to_islamabad(
    page: Page,
    live_server: Any,
    gr: Any,
    pk: Any,
    counsellor_gr: Any,
    supervisor_gr: Any,
    movement_gr: Any,
    reintegration_pk: Any,
) -> None:
    journey.programme()
    partner(gr, movement_gr, EMBASSY, country="PK")  # the embassy the laissez-passer is asked of
    # Bootstrap scrolls smoothly unless motion is reduced; a click would wait for each scroll to settle.
    page.emulate_media(reduced_motion="reduce")
    # The pre-embarkation check is done within 72 hours before the first departure: fly tomorrow.
    flight_day = timezone.localdate() + dt.timedelta(days=1)

    # The counsellor registers the family, counsels them and has the declaration signed.
    login(page, live_server, "counsellor.gr")
    reference = _register(page)
    _assess_and_start_counselling(page)
    _counsel(page, reference)
    _declare(page, reference)
    _log_out(page)

    # A supervisor hands the case to the mission in Pakistan.
    login(page, live_server, "supervisor.gr")
    _open_case(page, reference)
    _refer(page)
    _log_out(page)

    # The mission in Pakistan reads what is shared and accepts the case.
    login(page, live_server, "reintegration.pk")
    _accept_referral(page, reference)
    _log_out(page)

    # The movement officer gets the child a laissez-passer, books the journey and sees the family off.
    login(page, live_server, "movement.gr")
    _open_case(page, reference)
    page.locator("#travel").get_by_role("link", name="Travel page").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Travel of case {reference}")
    _laissez_passer(page)
    _book(page, flight_day)
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name=reference).click()
    expect(page.locator("#travel")).to_contain_text("Confirmed itinerary QK7TRA")
    _move(page, "Confirm the booking", "travel booked")
    page.locator("#travel").get_by_role("link", name="Travel page").click()
    _check(page)
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name=reference).click()
    _move(page, "Confirm departure", "departed", note="Boarded TK1844 with all three; assisted at check-in.")
    _log_out(page)

    # The origin mission meets them in Islamabad.
    login(page, live_server, "reintegration.pk")
    _open_case(page, reference)
    expect(_status(page)).to_have_text("departed")
    _move(
        page,
        "Confirm arrival",
        "arrived",
        confirmed_by="Confirmed by the mission in the country of origin",
        note="Met by IOM Pakistan in the arrivals hall at ISB.",
    )
    expect(_status(page)).to_have_text("arrived")
    _expect_timeline(page, reintegration_pk.get_full_name())
