"""The Spanish message catalogue: complete, compiled, in step with the source, and used by the pages."""

from __future__ import annotations

import ast
import gettext
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from tests import factories

SOURCE = Path(settings.BASE_DIR) / "src" / "alongside"
CATALOGUE = SOURCE / "locale" / "es" / "LC_MESSAGES"
PO = CATALOGUE / "django.po"
MO = CATALOGUE / "django.mo"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|\{\w*\}|</?[a-z][^>]*>")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False


def parse_po(path: Path) -> list[Entry]:
    """A small .po reader: enough for catalogues written by makemessages (no polib needed)."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None

    def finish() -> None:
        if entry is not None and target is not None:
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            entry, target = None, None
            continue
        if entry is None:
            entry = Entry()
        if line.startswith("#~"):
            entry.obsolete = True
            continue
        if line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        match = re.fullmatch(r'(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")', line)
        if match:
            keyword, index, value = match.groups()
            target = (keyword, int(index or 0))
            text = ast.literal_eval(value)
            if keyword == "msgstr":
                entry.msgstr[target[1]] = text
            else:
                setattr(entry, keyword, text)
        elif line.startswith('"') and target is not None:
            text = ast.literal_eval(line)
            if target[0] == "msgstr":
                entry.msgstr[target[1]] += text
            else:
                setattr(entry, target[0], (getattr(entry, target[0]) or "") + text)
        else:
            raise AssertionError(f"unexpected line in {path.name}: {raw!r}")
    finish()
    return entries


def messages(entries: list[Entry]) -> list[Entry]:
    return [entry for entry in entries if entry.msgid and not entry.obsolete]


def header(entries: list[Entry]) -> dict[str, str]:
    (head,) = [entry for entry in entries if entry.msgid == "" and not entry.obsolete]
    lines = head.msgstr[0].splitlines()
    return {key: value.strip() for key, _, value in (line.partition(":") for line in lines if line)}


def problems(entries: list[Entry]) -> list[str]:
    """Untranslated, fuzzy or obsolete entries, and translations that lost or invented a placeholder."""
    found = []
    for entry in entries:
        if entry.obsolete:
            found.append(f"obsolete: {entry.msgid!r}")
            continue
        if "fuzzy" in entry.flags:
            found.append(f"fuzzy: {entry.msgid!r}")
        if not entry.msgid:
            continue
        forms = [entry.msgstr.get(0, "")] if entry.msgid_plural is None else [entry.msgstr.get(i, "") for i in (0, 1)]
        if not all(forms):
            found.append(f"untranslated: {entry.msgid!r}")
            continue
        sources = [entry.msgid] if entry.msgid_plural is None else [entry.msgid, entry.msgid_plural]
        for source, translation in zip(sources, forms, strict=True):
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translation)):
                found.append(f"placeholders differ: {source!r} -> {translation!r}")
    return found


def require(program: str) -> str:
    """Return the path of a GNU gettext program; skip locally without it, but never in CI."""
    path = shutil.which(program)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{program} (GNU gettext) is not installed; .ci/run installs the gettext package")
        pytest.skip(f"{program} (GNU gettext) is not installed")
    return path


# --- The catalogue itself ----------------------------------------------------------------


def test_spanish_catalogue_has_no_untranslated_fuzzy_or_obsolete_entries() -> None:
    """Every message has a Spanish translation that keeps its placeholders; nothing is fuzzy or left over."""
    entries = parse_po(PO)
    assert len(messages(entries)) > 200
    assert problems(entries) == []


def test_spanish_catalogue_header() -> None:
    """Spanish has two plural forms, singular for exactly one; the file is UTF-8."""
    fields = header(parse_po(PO))
    assert fields["Language"] == "es"
    assert fields["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert "charset=UTF-8" in fields["Content-Type"]


def test_msgfmt_check_finds_nothing_untranslated_or_fuzzy() -> None:
    """GNU msgfmt's own checks (format strings, header, plurals) pass with everything translated."""
    msgfmt = require("msgfmt")
    result = subprocess.run(
        [msgfmt, "--check", "--statistics", "-o", os.devnull, str(PO)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "LC_ALL": "C"},
    )
    assert result.returncode == 0, result.stderr
    assert "translated message" in result.stderr
    assert "untranslated" not in result.stderr
    assert "fuzzy" not in result.stderr


def test_committed_mo_matches_the_po() -> None:
    """The committed django.mo was compiled from the current django.po (the demo needs no gettext)."""
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    expected: dict[object, str] = {}
    for entry in messages(parse_po(PO)):
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            expected[key] = entry.msgstr[0]
        else:
            for index, text in entry.msgstr.items():
                expected[(key, index)] = text
    compiled = {key: value for key, value in compiled.items() if key != ""}
    assert compiled == expected, "django.mo is stale: run `uv run alongside compilemessages` and commit it"


def test_catalogue_is_up_to_date_with_the_source(tmp_path, settings, monkeypatch) -> None:
    """makemessages over a copy of the source adds nothing new and leaves nothing untranslated."""
    require("xgettext")
    require("msgmerge")
    copy = tmp_path / "alongside"
    shutil.copytree(SOURCE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo"))
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["es"], no_obsolete=True, verbosity=0)

    fresh = parse_po(copy / "locale" / "es" / "LC_MESSAGES" / "django.po")
    assert len(messages(fresh)) > 200
    committed = parse_po(PO)
    ids = {(entry.msgctxt, entry.msgid, entry.msgid_plural) for entry in messages(fresh)}
    committed_ids = {(entry.msgctxt, entry.msgid, entry.msgid_plural) for entry in messages(committed)}
    hint = "run `cd src/alongside && uv run alongside makemessages -l es --no-obsolete`, translate, compile"
    assert sorted(ids - committed_ids, key=str) == [], f"new strings missing from the catalogue: {hint}"
    assert sorted(committed_ids - ids, key=str) == [], f"strings no longer in the source: {hint}"
    assert problems(fresh) == []


# --- The pages in Spanish ----------------------------------------------------------------


def spanish(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    return client


@pytest.mark.django_db
def test_login_page_in_spanish_by_cookie(client) -> None:
    """With the language cookie set to Spanish the sign-in page is in Spanish, lang="es"."""
    body = spanish(client).get(reverse("accounts:login")).content.decode()
    assert '<html lang="es">' in body
    assert "Iniciar sesión" in body
    assert "¿Olvidaste tu contraseña?" in body
    assert "No es un servicio de emergencias." in body
    for english in ("Sign in", "Forgotten your password?", "Start a practice", "not an emergency service"):
        assert english not in body


@pytest.mark.django_db
def test_login_page_in_spanish_by_accept_language(client) -> None:
    """A browser asking for Spanish gets Spanish without choosing it first."""
    body = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.5").content.decode()
    assert "Iniciar sesión" in body
    assert "Forgotten your password?" not in body


@pytest.mark.django_db
def test_client_home_in_spanish(world, client) -> None:
    """Sam's home in Spanish: greeting, plural count of what he shares, crisis notice."""
    client.force_login(world.sam.user)
    body = spanish(client).get(reverse("web:home")).content.decode()
    assert "Hola, Sam" in body
    assert "Compartes 4 tipos de información con tu equipo de atención." in body
    assert "Quién ha visto mis datos" in body
    assert "llama ahora al número de emergencias" in body
    for english in ("Hello, Sam", "You share", "Who has seen my data", "emergency number"):
        assert english not in body


@pytest.mark.django_db
def test_client_home_singular_in_spanish(world, client) -> None:
    """One shared kind of information takes the singular form."""
    profile = factories.client(world.practice, clinicians=(world.alice,), name="Ana", scopes=("mood",))
    client.force_login(profile.user)
    body = spanish(client).get(reverse("web:home")).content.decode()
    assert "Compartes 1 tipo de información con tu equipo de atención." in body


@pytest.mark.django_db
def test_consent_sign_page_in_spanish(world, client) -> None:
    """The consent page a new client meets first is in Spanish, scopes included."""
    profile = factories.client(world.practice, clinicians=(world.alice,), name="Kim", signed=False)
    client.force_login(profile.user)
    body = spanish(client).get(reverse("consent:sign")).content.decode()
    assert "Antes de empezar" in body
    assert "Qué compartir con tu equipo de atención" in body
    assert "Registros del estado de ánimo" in body
    assert "Firmar y continuar" in body
    for english in ("Before you start", "Sign and continue", "Mood check-ins", "What to share"):
        assert english not in body


@pytest.mark.django_db
def test_language_switch_to_spanish_and_back(client) -> None:
    """Choosing Spanish in the header form switches the next page; choosing English switches back."""
    login = reverse("accounts:login")
    response = client.post(reverse("set_language"), {"language": "es", "next": login})
    assert response.status_code == 302
    assert response["Location"] == login
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    body = client.get(login).content.decode()
    assert "Iniciar sesión" in body
    assert "Forgotten your password?" not in body

    client.post(reverse("set_language"), {"language": "en", "next": login})
    body = client.get(login).content.decode()
    assert "Forgotten your password?" in body
    assert "Iniciar sesión" not in body
