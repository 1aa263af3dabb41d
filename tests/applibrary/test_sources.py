"""Every suitability prompt and the readiness rules carry dated, linked sources; eHEALS says how its wording was checked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alongside.applibrary.readiness import PROMPT_SOURCES, RULE_SOURCES, Prompt, eheals_scale


def test_every_prompt_and_the_rules_have_a_dated_source():
    """No prompt is left without a source; each source has a link and the date it was checked."""
    assert set(PROMPT_SOURCES) == set(Prompt.values)
    for source in [s for found in PROMPT_SOURCES.values() for s in found] + list(RULE_SOURCES):
        assert source.url.startswith("https://")
        assert source.checked == "2026-12-06"
        assert source.citation
        assert source.supports


def test_the_psychosis_prompt_has_a_source_about_psychosis():
    """The psychosis half of the prompt rests on reviews of technology in schizophrenia spectrum disorders too."""
    sources = PROMPT_SOURCES[Prompt.PSYCHOSIS_MANIA]
    assert any("schizophrenia" in s.citation.lower() for s in sources)
    assert not any("does not cover psychosis" in s.supports for s in sources)


def test_the_eheals_file_names_the_published_spanish_version_it_could_not_copy():
    """The Spanish validation is cited (Paramio Pérez et al. 2015), and no Spanish wording is shipped from it."""
    scale = eheals_scale()
    assert "Paramio Pérez" in scale["translations"]
    assert "items_es" not in scale


def test_the_eheals_file_says_how_its_wording_was_checked():
    """Eight items, the paper cited with its link, the check and the translation status stated."""
    scale = eheals_scale()
    assert len(scale["items"]) == 8
    assert "2006;8(4):e27" in scale["source"]
    assert scale["wording_check"].startswith("2026-12-06")
    assert "English items with a notice" in scale["translations"]


@pytest.mark.django_db
def test_the_clinician_sees_the_sources_and_spanish_readers_get_the_notice(world, staff_client, client):
    """Alice's readiness page lists the sources; Sam reading in Spanish is told the items are in English."""
    body = staff_client(world.alice).get(reverse("applibrary:client_readiness", args=[world.sam.pk])).content.decode()
    assert "A Stalker" in body
    assert "ng222" in body
    world.sam.user.locale = "es"
    world.sam.user.save(update_fields=["locale"])
    client.force_login(world.sam.user)
    body = client.get(reverse("applibrary:own_readiness")).content.decode()
    assert 'class="notice"' in body


def test_each_eheals_item_is_compared_with_the_sources_read():
    """Every one of the eight items has its comparison with the dated sources, and the differences are named."""
    scale = eheals_scale()
    assert len(scale["item_comparison"]) == len(scale["items"]) == 8
    for number, line in enumerate(scale["item_comparison"], start=1):
        assert line.startswith(f"{number}: ")
    assert all("Read 2026-12-06" in source for source in scale["compared_with"])
    assert "answer my health questions" in scale["item_comparison"][3]
    assert "high-quality from low-quality" in scale["item_comparison"][6]
    assert any("JMDH.S242985" in source.url for source in RULE_SOURCES)
