"""The site's editor: administrators of the mission write pages per language, preview them, publish them."""

from __future__ import annotations

import pytest
from django.test import Client

from homeward.accounts.models import Mission, User
from homeward.core.errors import ServiceError
from homeward.public import content, services
from homeward.public.models import Page, PageTranslation
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_administrator_sees_the_pages_and_which_languages_are_missing(
    admin_gr: User, site: dict[str, Page]
) -> None:
    html = signed_in(admin_gr).get("/public-site/GR/").content.decode()
    assert "who-can-apply" in html
    assert "assistance" in html
    assert "draft" in html
    assert '<td class="have">en, ar</td>' in html
    assert '<td class="missing text-body-secondary">el, ro, sk, hu, fr, fa, ur</td>' in html


def test_the_menu_shows_the_editor_to_administrators_only(admin_gr: User, counsellor_gr: User) -> None:
    assert 'href="/public-site/"' in signed_in(admin_gr).get("/cases/").content.decode()
    assert 'href="/public-site/"' not in signed_in(counsellor_gr).get("/cases/").content.decode()
    assert signed_in(admin_gr).get("/public-site/")["Location"] == "/public-site/GR/"


@pytest.mark.parametrize("path", ["/public-site/GR/", "/public-site/GR/{page}/", "/public-site/GR/{page}/en/"])
def test_only_an_administrator_of_the_mission_edits_its_site(
    path: str, admin_gr: User, admin_ro: User, counsellor_gr: User, site: dict[str, Page]
) -> None:
    url = path.format(page=site["eligibility"].pk)
    assert signed_in(admin_gr).get(url).status_code == 200
    assert signed_in(counsellor_gr).get(url).status_code == 403
    assert signed_in(admin_ro).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login


def test_the_writes_refuse_others_too(counsellor_gr: User, admin_ro: User, site: dict[str, Page], gr: Mission) -> None:
    from django.core.exceptions import PermissionDenied

    for user in (counsellor_gr, admin_ro):
        with pytest.raises(PermissionDenied):
            services.page_translation_save(
                acting_user=user, page=site["eligibility"], language="el", title="x", body=""
            )
        with pytest.raises(PermissionDenied):
            services.page_create(acting_user=user, mission=gr, slug="x", kind="other")
    assert (
        signed_in(counsellor_gr).post(f"/public-site/GR/{site['draft'].pk}/publish/", {"published": "1"}).status_code
        == 403
    )
    assert not Page.objects.get(pk=site["draft"].pk).published


def test_a_page_is_added_written_and_published_through_the_pages(admin_gr: User, gr: Mission) -> None:
    client = signed_in(admin_gr)
    response = client.post("/public-site/GR/new/", {"slug": "how-to-apply", "kind": "how_to_apply", "position": "3"})
    page = Page.objects.get(slug="how-to-apply")
    assert response["Location"] == f"/public-site/GR/{page.pk}/en/"
    assert client.post(f"/public-site/GR/{page.pk}/publish/", {"published": "1"}).status_code == 302
    assert not Page.objects.get(pk=page.pk).published  # no English text yet
    client.post(f"/public-site/GR/{page.pk}/en/", {"title": "How to apply", "body": "Call us.", "save": "1"})
    client.post(f"/public-site/GR/{page.pk}/publish/", {"published": "1"})
    assert Page.objects.get(pk=page.pk).published
    assert "Call us." in Client().get("/site/GR/en/how-to-apply/").content.decode()


def test_the_preview_renders_the_unsaved_text_as_visitors_will_see_it_and_saves_nothing(
    admin_gr: User, site: dict[str, Page]
) -> None:
    page = site["assistance"]
    response = signed_in(admin_gr).post(
        f"/public-site/GR/{page.pk}/ar/", {"title": "المساعدة", "body": "## السفر\n\n**نقدا**", "preview": "1"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert '<div lang="ar" dir="rtl"><article>' in html
    assert "<h2>السفر</h2>" in html
    assert "<strong>نقدا</strong>" in html
    assert not PageTranslation.objects.filter(page=page, language="ar").exists()
    english = PageTranslation.objects.get(page=page, language="en")
    signed_in(admin_gr).post(f"/public-site/GR/{page.pk}/en/", {"title": "Changed", "body": "Changed", "preview": "1"})
    english.refresh_from_db()
    assert english.title == "Assistance"


def test_script_and_raw_html_are_cleaned_links_kept() -> None:
    html = content.render(
        "Hello <script>alert('x')</script> <img src=x onerror=alert(1)> [IOM](https://www.iom.int) "
        '[bad](javascript:alert(1)) <a href="https://x.example" onclick="steal()">x</a>'
    )
    assert "<script" not in html
    assert "alert('x')" not in html
    assert "onerror" not in html
    assert "onclick" not in html
    assert "<img" not in html
    assert "javascript:" not in html
    assert '<a href="https://www.iom.int" rel="noopener noreferrer">IOM</a>' in html


def test_a_script_in_a_page_never_reaches_the_visitor(admin_gr: User, site: dict[str, Page]) -> None:
    services.page_translation_save(
        acting_user=admin_gr, page=site["assistance"], language="en", title="Assistance",
        body="Travel.\n\n<script>document.location='https://evil.example'</script>",
    )  # fmt: skip
    html = Client().get("/site/GR/en/assistance/").content.decode()
    assert "Travel." in html
    assert "<script" not in html
    assert "evil.example" not in html


@pytest.mark.parametrize(("slug", "message"), [("contact", "taken by the site"), ("assistance", "Another page"),
                                                ("Bad Slug!", "small letters")])  # fmt: skip
def test_a_page_address_must_be_free_and_well_formed(
    slug: str, message: str, admin_gr: User, site: dict[str, Page], gr: Mission
) -> None:
    with pytest.raises(ServiceError) as refused:
        services.page_create(acting_user=admin_gr, mission=gr, slug=slug, kind="other")
    assert message in " ".join(refused.value.fields["slug"])
    response = signed_in(admin_gr).post("/public-site/GR/new/", {"slug": slug, "kind": "other", "position": "0"})
    assert response.status_code == 400
    assert Page.objects.count() == 3


def test_a_translation_needs_a_title_and_a_language_of_the_site(admin_gr: User, site: dict[str, Page]) -> None:
    with pytest.raises(ServiceError) as refused:
        services.page_translation_save(acting_user=admin_gr, page=site["draft"], language="de", title=" ", body="")
    assert set(refused.value.fields) == {"language", "title"}
    assert signed_in(admin_gr).get(f"/public-site/GR/{site['draft'].pk}/de/").status_code == 404
