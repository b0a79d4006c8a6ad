"""In the browser: a visitor reads the public site in Arabic on a phone and asks for help; a counsellor
finds the inquiry in triage, books an appointment with an interpreter and turns it into a case."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.appointments.models import Appointment, Office, OfficeHours
from homeward.cases.models import Case
from homeward.public import services as site
from homeward.triage.models import Inquiry
from tests.browser.conftest import login
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ELIGIBILITY_AR = ("من يمكنه التقدم؟", "يمكن لكل من يرغب في العودة **طوعًا** إلى بلده أن يتقدم بطلب.")
PHONE = "+30 691 234 5678"


def _site(gr: Mission) -> Office:
    admin = UserFactory(username="admin.gr", roles=[(gr, Role.ADMINISTRATOR)])
    page = site.page_create(acting_user=admin, mission=gr, slug="who-can-apply", kind="eligibility", position=1)
    site.page_translation_save(acting_user=admin, page=page, language="en", title="Who can apply?",
                               body="Anyone who wishes to return home **voluntarily** can apply.")  # fmt: skip
    site.page_translation_save(acting_user=admin, page=page, language="ar", title=ELIGIBILITY_AR[0],
                               body=ELIGIBILITY_AR[1])  # fmt: skip
    site.page_publish(acting_user=admin, page=page, published=True)
    office = Office.objects.create(mission=gr, name="Athens office", address="Dodekanisou 11", city="Athens",
                                   time_zone="Europe/Athens", languages=["en", "el", "ar"])  # fmt: skip
    for day in range(5):
        OfficeHours.objects.create(office=office, weekday=day, opens=dt.time(8, 30), closes=dt.time(16, 30))
    return office


def _next_weekday() -> dt.date:
    day = timezone.now().astimezone(zoneinfo.ZoneInfo("Europe/Athens")).date() + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _ask_for_help(browser: Browser, url: str) -> str:
    """The visitor's own phone: Arabic, a narrow screen, no account. Returns the acknowledgement code."""
    context = browser.new_context(locale="ar", viewport={"width": 390, "height": 844}, is_mobile=True,
                                  extra_http_headers={"Accept-Language": "ar,en;q=0.5"})  # fmt: skip
    phone = context.new_page()
    try:
        phone.goto(f"{url}/site/GR/")
        expect(phone).to_have_url(f"{url}/site/GR/ar/")
        assert phone.evaluate("document.documentElement.dir") == "rtl"
        assert phone.evaluate("getComputedStyle(document.body).direction") == "rtl"
        # Nothing wider than the phone: the page reads without scrolling sideways.
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        phone.get_by_role("link", name=ELIGIBILITY_AR[0]).first.click()
        expect(phone.get_by_role("heading", level=1)).to_have_text(ELIGIBILITY_AR[0])
        expect(phone.locator("main")).to_contain_text("طوعًا")

        phone.locator("a.apply").first.click()
        expect(phone).to_have_url(f"{url}/site/GR/ar/apply/")
        phone.locator("#id_given_names").fill("Ahmad")
        phone.locator("#id_family_name").fill("Rahimi")
        phone.locator("#id_phone").fill(PHONE)
        phone.locator("#id_nationality").select_option("AF")
        phone.locator("#id_where_1").check()  # a reception facility
        phone.locator("#id_facility").fill("Malakasa")
        phone.locator("#id_how_heard").select_option("ngo")
        phone.locator("#id_consent").check()
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        with phone.expect_navigation():
            phone.locator("form.referral button[type=submit]").click()
        code = phone.locator(".ack-code").inner_text().strip()
        assert phone.evaluate("document.documentElement.dir") == "rtl"
        return code
    finally:
        context.close()


def test_a_visitor_asks_in_arabic_and_a_counsellor_turns_it_into_a_case(
    page: Page, browser: Browser, live_server: object, counsellor_gr: User, gr: Mission
) -> None:
    url = live_server.url  # type: ignore[attr-defined]
    office = _site(gr)
    code = _ask_for_help(browser, url)
    inquiry = Inquiry.objects.get(code=code)
    assert (inquiry.given_names, inquiry.language, inquiry.nationality.code) == ("Ahmad", "ar", "AF")

    # The counsellor finds it in triage.
    login(page, live_server, "counsellor.gr")
    page.goto(f"{url}/triage/")
    page.get_by_role("link", name=code).click()
    expect(page.locator("main")).to_contain_text("Ahmad Rahimi")

    # An appointment with an interpreter, on the next working day at ten, office time.
    page.locator("#book-appointment").click()
    day = _next_weekday()
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Interpreter needed").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Book", exact=True).click()
    expect(page.get_by_role("alert")).to_have_count(0)
    appointment = Appointment.objects.get(inquiry=inquiry)
    athens = zoneinfo.ZoneInfo(office.time_zone)
    assert appointment.starts_at.astimezone(athens) == dt.datetime.combine(day, dt.time(10), athens)
    assert appointment.interpreter_needed
    assert appointment.language == "ar"

    # Into a case: nothing typed again.
    page.locator("#turn-into-case").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Create the case").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Case ")
    case = Case.objects.get(inquiry__code=code)
    principal = case.members.get().person
    assert (principal.given_names, principal.family_name, principal.nationality.code) == ("Ahmad", "Rahimi", "AF")
    assert principal.phone.replace(" ", "") == PHONE.replace(" ", "")
    assert case.referral_source == "self"
    assert case.counsellor == counsellor_gr
    expect(page.locator("main")).to_contain_text(code)  # the case card naming the inquiry it came from
