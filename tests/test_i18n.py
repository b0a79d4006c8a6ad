"""The Greek catalogue is complete, compiled, and covers every string in the code."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from homeward.accounts.models import User
from homeward.cases.models import Case

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "homeward"
PO = PACKAGE / "locale" / "el" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def test_every_greek_entry_is_translated_and_none_is_fuzzy() -> None:
    catalogue = polib.pofile(str(PO))
    assert len(catalogue) > 100
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []


def test_the_compiled_catalogue_matches_the_source() -> None:
    source = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in polib.pofile(str(PO)) if not e.obsolete}
    compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in polib.mofile(str(MO)) if e.msgid}
    assert compiled == source, "run: cd src/homeward && homeward compilemessages -l el"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (make test installs it)")
def test_the_catalogue_has_every_translatable_string_of_the_code(tmp_path: Path) -> None:
    copy = tmp_path / "homeward"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("static", "__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "el", "--no-location", "--no-obsolete"],
        cwd=copy, check=True, capture_output=True, env={"PATH": os.environ["PATH"]},
    )  # fmt: skip
    fresh = {e.msgid for e in polib.pofile(str(copy / "locale" / "el" / "LC_MESSAGES" / "django.po"))}
    committed = {e.msgid for e in polib.pofile(str(PO))}
    assert sorted(fresh - committed) == [], "run makemessages -l el in src/homeward and translate the new strings"
    # The public site's strings go to its own catalogue (public/locale), which every public language shares.
    public = PACKAGE / "public" / "locale" / "el" / "LC_MESSAGES" / "django.po"
    fresh = {e.msgid for e in polib.pofile(str(copy / "public" / "locale" / "el" / "LC_MESSAGES" / "django.po"))}
    committed = {e.msgid for e in polib.pofile(str(public))}
    assert sorted(fresh - committed) == [], "run makemessages for every public language in src/homeward/public"


@pytest.mark.django_db
def test_pages_render_in_greek(counsellor_gr: User, case_gr: Case) -> None:
    client = Client(headers={"Accept-Language": "el"})
    client.force_login(counsellor_gr)
    with translation.override("el"):
        expected = translation.gettext("Register a case")
    assert expected != "Register a case"
    for url in (reverse("cases:list"), reverse("cases:register"), reverse("cases:detail", args=[case_gr.reference])):
        body = client.get(url).content.decode()
        assert '<html lang="el"' in body
        assert expected in body


PUBLIC = PACKAGE / "public" / "locale"


@pytest.mark.parametrize("language", ["el", "ro", "sk", "hu", "fr", "ar", "fa", "ur"])
def test_every_public_catalogue_is_complete_and_compiled(language: str) -> None:
    """What a visitor reads, in each language of the public site (decision 0011)."""
    po = PUBLIC / language / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(po))
    assert len(catalogue) > 100
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    source = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in catalogue if not e.obsolete}
    compiled = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0)
        for e in polib.mofile(str(po.with_suffix(".mo")))
        if e.msgid
    }
    assert compiled == source, f"run: msgfmt -o {po.with_suffix('.mo')} {po}"
