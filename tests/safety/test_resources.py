"""Crisis lines by the client's country and language."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.urls import reverse

from alongside.safety import crisis_lines as crisis
from alongside.safety import resources

REQUIRED = {
    "US", "GB", "CA", "IE", "AU", "NZ", "ES", "MX", "GT", "SV", "HN", "NI", "CR", "PA", "CU", "DO", "PR",
    "CO", "VE", "EC", "PE", "BO", "CL", "PY", "UY", "AR",
}  # fmt: skip


def test_the_file_covers_every_required_country_with_a_source_and_a_checked_on_field():
    """Every Spanish-speaking country in the Americas, Spain and six English-speaking countries, each line sourced."""
    data = json.loads(resources.LINES_PATH.read_text(encoding="utf-8"))
    assert set(data["countries"]) >= REQUIRED
    for code, country in data["countries"].items():
        assert country["lines"], code
        for line in country["lines"]:
            assert line["source"].startswith("https://"), code
            assert line["checked_on"] == "unverified" or date.fromisoformat(line["checked_on"]), code
            for field in ("name", "description"):
                assert line[field]["en"], code
                assert line[field]["es"], code


@pytest.mark.parametrize("code", sorted(REQUIRED))
@pytest.mark.parametrize("locale", ["en", "es"])
def test_every_country_renders_in_english_and_spanish(client, world, code, locale):
    """A client whose profile names the country sees its lines on the help page, emergency first, in their language."""
    world.sam.country, world.sam.locale = code, locale
    world.sam.save(update_fields=["country", "locale"])
    client.force_login(world.sam.user, backend="alongside.accounts.backends.EmailBackend")
    html = client.get(reverse("measures:crisis"), HTTP_ACCEPT_LANGUAGE=locale).content.decode()
    expected = resources.lines(code, locale)
    assert expected[0].emergency
    for line in expected:
        assert line.phone in html or line.url in html
        assert line.name.replace("&", "&amp;") in html
        assert line.description in html


def test_a_bogota_client_sees_colombias_lines_in_spanish(client, world):
    """No country on the profile: the time zone America/Bogota picks Colombia, not the practice's US lines."""
    world.sam.country, world.sam.locale, world.sam.time_zone = "", "es", "America/Bogota"
    world.sam.save(update_fields=["country", "locale", "time_zone"])
    client.force_login(world.sam.user, backend="alongside.accounts.backends.EmailBackend")
    html = client.get(reverse("measures:crisis"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Línea de emergencias" in html
    assert "Línea 106 (Bogotá)" in html
    assert "tel:988" not in html
    assert "tel:911" not in html


def test_the_profile_country_wins_over_the_time_zone():
    """The time zone only guesses: a country on the profile decides."""
    assert resources.resolve_country("MX", "es", "America/Bogota") == "MX"
    assert resources.resolve_country("", "es", "America/Bogota") == "CO"


def test_the_practice_layer_serves_the_built_in_lines():
    """alongside.safety.crisis_lines (moved from measures) adds practice lines in front of the built-in ones."""
    assert {r.phone for r in crisis.resources_for("CO", "es")} == {"123", "106", "192"}
    assert resources.DEFAULTS["US"][0].phone == "911"


def test_lines_confirmed_against_a_published_page_carry_the_date_they_were_checked():
    """The lines confirmed on 2026-12-06 (e.g. Colombia's 123, Bogotá's 106, the US 988) name that page and date."""
    data = json.loads(resources.LINES_PATH.read_text(encoding="utf-8"))
    checked = {
        (code, line["phone"])
        for code, country in data["countries"].items()
        for line in country["lines"]
        if line["checked_on"] == "2026-12-06"
    }
    assert {("CO", "123"), ("CO", "106"), ("US", "988"), ("GB", "116 123"), ("ES", "024")} <= checked


def test_the_third_pass_confirms_the_emergency_numbers_and_corrects_two_lines():
    """New Zealand, Canada, Ireland, Mexico and the Central American and Caribbean numbers now name a page (2026-12-06).

    Two lines were corrected: Costa Rica's "Aquí Estoy" is 800 2737869 (1322 is the Ministry of Health's citizen
    line), and the Dominican line "*462" named by no page gives way to the Ministry's 809-200-1400.
    """
    data = json.loads(resources.LINES_PATH.read_text(encoding="utf-8"))
    checked = {
        (code, line["phone"])
        for code, country in data["countries"].items()
        for line in country["lines"]
        if line["checked_on"] == "2026-12-06"
    }
    confirmed = {
        ("NZ", "111"), ("NZ", "1737"), ("CA", "911"), ("IE", "112"), ("MX", "911"), ("CO", "192"),
        ("GT", "110"), ("SV", "911"), ("HN", "911"), ("NI", "118"), ("CR", "911"), ("PA", "911"),
        ("CU", "104"), ("DO", "911"), ("PR", "911"), ("PR", "1-800-981-0023"), ("PR", "988"),
        ("VE", "911"), ("PY", "911"), ("BO", "110"), ("PE", "105"), ("CL", "131"), ("AR", "911"),
        ("CR", "800 2737869"), ("DO", "809-200-1400"),
    }  # fmt: skip
    assert confirmed <= checked
    phones = {(code, line["phone"]) for code, country in data["countries"].items() for line in country["lines"]}
    assert ("CR", "1322") not in phones
    assert ("DO", "*462") not in phones


@pytest.mark.django_db
def test_every_built_in_country_line_names_its_source_and_the_date_it_was_checked():
    """No client is shown a country line that no published page confirmed (Panama's 169 was removed for that)."""
    from alongside.safety.resources import reference

    unverified = [(country, line.phone) for country, lines in reference("en") for line in lines if not line.verified]
    assert unverified == []


def test_the_practice_admin_is_told_which_built_in_lines_are_not_verified(staff_client, world, monkeypatch):
    """The crisis-lines page marks each unchecked built-in line "Not verified" and says how many there are."""
    import copy

    from django.urls import reverse

    from alongside.safety import resources
    from alongside.safety.resources import reference

    data = copy.deepcopy(resources._data())
    data["countries"]["PA"]["lines"].append(
        {"phone": "000", "name": {"en": "Unchecked line"}, "source": "", "checked_on": "unverified"}
    )
    monkeypatch.setattr(resources, "_data", lambda: data)
    every = [line for _country, lines in reference("en") for line in lines]
    unverified = [line for line in every if not line.verified]
    assert len(unverified) == 1
    body = staff_client(world.admin).get(reverse("measures:practice_crisis")).content.decode()
    assert 'id="unverified-lines"' in body
    assert f"{len(unverified)} of the {len(every)} built-in lines" in body
    assert body.count("Not verified") == len(unverified)
    assert all(line.checked_on in body for line in every if line.verified)
