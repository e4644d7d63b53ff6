"""The English catalogue: complete (every msgid of the console translated, nothing fuzzy, every
placeholder kept), compiled (the committed .mo is the .po's), current (a fresh makemessages finds
no string it lacks), and used (the pages speak English after the switch, Indonesian before)."""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings

import siaga

SIAGA = Path(siaga.__file__).parent
MESSAGES = SIAGA / "locale" / "en" / "LC_MESSAGES"
PO, MO = MESSAGES / "django.po", MESSAGES / "django.mo"
# The same flags as `make messages`: the core and the CLI are in the catalogue too.
IGNORE = ["static/vendor/*"]
PLACEHOLDER = re.compile(r"%(?:\([a-z_]+\))?[-+ #0-9.]*[sdifr%]")
MENU = {  # the top bar of every operation page, for every role
    "Dasbor": "Dashboard",
    "Personel": "Personnel",
    "Satuan": "Units",
    "Wilayah": "Regions",
    "Kerawanan": "Vulnerability",
    "Peta": "Map",
    "Rencana": "Plans",
}


@dataclass
class Entry:
    """One entry of a .po file; `msgstr` holds msgstr, or msgstr[0], msgstr[1], ..."""

    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file (the header entry, msgid "", first). Strings may run over
    several lines; obsolete (#~) entries are skipped."""
    entries: list[Entry] = []
    entry, target = Entry(), ""
    seen_msgid = False

    def close() -> None:
        nonlocal entry, seen_msgid
        if seen_msgid:
            entries.append(entry)
        entry, seen_msgid = Entry(), False

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if not line:
            close()
        elif line.startswith("#,"):
            entry.flags |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if target == "msgstr":
                entry.msgstr[-1] += text
            else:
                setattr(entry, target, (getattr(entry, target) or "") + text)
        else:
            keyword, _, rest = line.partition(" ")
            text = ast.literal_eval(rest)
            if keyword.startswith("msgstr"):
                target = "msgstr"
                entry.msgstr.append(text)
            else:
                target = keyword
                if keyword == "msgid":
                    if seen_msgid:  # a new entry without a blank line before it
                        close()
                    seen_msgid = True
                setattr(entry, keyword, text)
    return entries


def messages(path: Path) -> list[Entry]:
    return [e for e in read_po(path) if e.msgid]


# ---------------------------------------------------------------- the catalogue


def test_it_reads_multiline_and_plural_entries():
    entries = {e.msgid: e for e in messages(PO)}
    long = entries["Berkas tidak dapat dibaca. Tidak ada yang diimpor."]
    assert long.msgstr == ["The file cannot be read. Nothing was imported."]
    plural = entries["%(n)s pelanggaran"]
    assert plural.msgid_plural == "%(n)s pelanggaran"
    assert plural.msgstr == ["%(n)s violation", "%(n)s violations"]
    assert len(entries) > 300


def test_it_translates_every_string():
    empty = [e.msgid for e in messages(PO) if not e.msgstr or not all(e.msgstr)]
    assert empty == []


def test_it_has_two_forms_for_every_plural():
    wrong = [e.msgid for e in messages(PO) if e.msgid_plural is not None and len(e.msgstr) != 2]
    assert wrong == []


def test_it_has_nothing_fuzzy():
    fuzzy = [e.msgid for e in read_po(PO) if "fuzzy" in e.flags]
    assert fuzzy == []


def test_it_keeps_every_placeholder():
    changed = [
        (e.msgid, text)
        for e in messages(PO)
        for text in e.msgstr
        if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(e.msgid))
    ]
    assert changed == []


def test_it_keeps_domain_words_in_english():
    english = {e.msgid: e.msgstr[0] for e in messages(PO)}
    assert english["TPS"] == "TPS" and english["Kecamatan"] == "Kecamatan" and english["Desa"] == "Desa"
    assert english["Pola"] == "Pola" and english["Ditetapkan manual"] == "Set by hand"
    assert english["siap"] == "ready" and english["Keluar"] == "Log out"


def test_it_commits_the_compiled_catalogue_of_the_po(tmp_path):
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(PO)], check=True)
    with fresh.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    with MO.open("rb") as f:
        committed = gettext.GNUTranslations(f)
    assert committed._catalog == compiled._catalog


def test_it_lacks_no_string_a_fresh_makemessages_finds(tmp_path, monkeypatch):
    """`make messages` run on a copy of the sources: the same strings as the committed .po."""
    copy = tmp_path / "siaga"
    shutil.copytree(SIAGA, copy, ignore=shutil.ignore_patterns("__pycache__", "locale", "static"))
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command("makemessages", locale=["en"], ignore_patterns=IGNORE, no_obsolete=True, verbosity=0)
    found = {e.key for e in messages(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")}
    committed = {e.key for e in messages(PO)}
    assert sorted(found - committed, key=str) == [], "new strings: run `make messages` and translate them"
    assert sorted(committed - found, key=str) == [], "strings no longer used: run `make messages`"


# ---------------------------------------------------------------- the pages


def pages(operation: Any, plan: Any) -> list[str]:
    op = operation.pk
    return [
        f"/ops/{op}/",
        f"/ops/{op}/tps/",
        f"/ops/{op}/vulnerability/",
        f"/ops/{op}/map/",
        f"/plans/ops/{op}/",
        f"/plans/{plan.pk}/",
    ]


def menu(html: str) -> str:
    return re.search(r'<nav class="menu">(.*?)</nav>', html, re.S).group(1)


def in_english(client: Any) -> Any:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def test_it_speaks_indonesian_by_default(as_viewer, operation, plan):
    for url in pages(operation, plan):
        html = as_viewer.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
        assert 'lang="id"' in html, url
        nav = menu(html)
        assert [f">{word}<" in nav for word in MENU] == [True] * len(MENU), url
        assert ">Keluar<" in html and "Dashboard" not in html and "Vulnerability" not in html, url


def test_it_speaks_english_on_every_main_page_after_switching(as_planner, operation, plan):
    client = in_english(as_planner)
    for url in pages(operation, plan):
        page = client.get(url)
        assert page.status_code == 200, url
        html = page.content.decode()
        assert 'lang="en"' in html, url
        nav = menu(html)
        assert [f">{word}<" in nav for word in MENU.values()] == [True] * len(MENU), url
        assert [word for word in MENU if f">{word}<" in nav] == [], url
        assert ">Import<" in nav, url
        assert "Dasbor" not in html and "Kerawanan" not in html, url
        assert "Log out" in html and ">Keluar<" not in html, url


@pytest.mark.parametrize(
    "path, english, indonesian",
    [
        ("/ops/{op}/", "950 joint personnel, 7 kecamatan, 21 desa, 152 TPS", "personel gabungan"),
        ("/ops/{op}/tps/", "TPS list", "Daftar TPS"),
        ("/ops/{op}/vulnerability/", "TPS vulnerability analysis", "Analisa kerawanan"),
        ("/ops/{op}/map/", "Vulnerability and posts map", "Peta kerawanan"),
        ("/plans/ops/{op}/", "Security plans", "Rencana pengamanan"),
        ("/plans/{plan}/", "Plan version 1", "Rencana versi"),
    ],
)
def test_it_translates_each_pages_own_words(as_planner, operation, plan, path, english, indonesian):
    url = path.format(op=operation.pk, plan=plan.pk)
    assert indonesian in as_planner.get(url).content.decode()
    html = in_english(as_planner).get(url).content.decode()
    assert english in html and indonesian not in html


def test_it_gives_the_map_script_its_words_in_english(as_planner, operation):
    html = in_english(as_planner).get(f"/ops/{operation.pk}/map/").content.decode()
    config = re.search(r'id="map-config" type="application/json">(.*?)</script>', html, re.S).group(1)
    assert '"Highly vulnerable"' in config and '"Reserve team reach"' in config
    assert "Sangat rawan" not in config


def test_it_words_a_services_refusal_in_the_users_language(as_commander, plan):
    refused = (
        in_english(as_commander).post(f"/plans/{plan.pk}/publish/", {"confirm": "yes"}, follow=True).content.decode()
    )
    assert "Only an approved plan can be published." in refused
    plan.refresh_from_db()
    assert plan.status == plan.Status.DRAFT
