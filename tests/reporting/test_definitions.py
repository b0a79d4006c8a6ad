"""The indicator definitions page: every indicator of the registry, in words a donor can read."""

from __future__ import annotations

import html

import pytest
from django.test import Client

from homeward.accounts.models import User
from homeward.reporting.indicators import DIMENSIONS, INDICATORS

pytestmark = pytest.mark.django_db


def _page(user: User) -> tuple[int, str]:
    client = Client()
    client.force_login(user)
    response = client.get("/reports/indicators/")
    return response.status_code, html.unescape(response.content.decode())


def test_every_indicator_is_defined_in_words(viewer: User) -> None:
    status, page = _page(viewer)
    assert status == 200
    for indicator in INDICATORS:
        assert f'id="{indicator.code}"' in page, indicator.code
        start = page.index(f'id="{indicator.code}"')
        card = page[start : page.index("</article>", start)]
        for words in (indicator.name, indicator.definition, indicator.computation):
            assert str(words) in card, (indicator.code, words)
        for dimension in indicator.disaggregations:
            assert str(DIMENSIONS[dimension].name) in card, (indicator.code, dimension)
        if indicator.basis:
            assert str(indicator.basis) in card
    sections = list(dict.fromkeys(str(i.section) for i in INDICATORS))
    positions = [page.index(f">{name}</h2>") for name in sections]
    assert positions == sorted(positions)


def test_the_definitions_need_figures_rights(counsellor_gr: User) -> None:
    assert _page(counsellor_gr)[0] == 403
    assert Client().get("/reports/indicators/").status_code == 302
