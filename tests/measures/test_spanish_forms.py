"""Published Spanish forms of shipped instruments: the PHQ-9 in Spanish for the USA, word for word."""

from __future__ import annotations

import json
import shutil

import pytest
from django.urls import reverse

from alongside.measures import library
from alongside.measures.library import translations
from alongside.measures.library.loader import INSTRUMENTS_DIR, InstrumentDataError
from alongside.measures.models import MeasureResponse
from tests.measures.support_client import due_request

BACKEND = "alongside.accounts.backends.EmailBackend"
PREAMBLE = "Durante las últimas 2 semanas, ¿qué tan seguido ha tenido molestias debido a los siguientes problemas?"


def test_the_spanish_phq9_is_the_published_form_with_its_source_and_licence():
    """The Spanish PHQ-9 carries the distributed form's wording, the page it was checked on, and the permission."""
    form = translations.translation("phq9", "es")
    assert form is not None
    assert form.preamble == PREAMBLE
    assert form.items["phq9-1"].text == "Poco interés o placer en hacer cosas"
    assert form.items["phq9-9"].text == "Pensamientos de que estaría mejor muerto(a) o de lastimarse de alguna manera"
    assert list(form.items["phq9-1"].answers.values()) == [
        "Ningún día",
        "Varios días",
        "Más de la mitad de los días",
        "Casi todos los días",
    ]
    assert form.source.startswith("https://")
    assert form.checked_on == "2026-12-06"
    assert "No se requiere permiso para reproducir, traducir, presentar o distribuir." in form.licence


def test_a_localized_instrument_scores_exactly_like_the_original():
    """Only the wording changes: codes, items, answer values, branching and scores stay the original's."""
    original = library.get("phq9")
    spanish = library.localized(original, "es-MX")
    assert spanish.language == "es"
    assert original.language == "en"
    assert [i.link_id for i in spanish.items] == [i.link_id for i in original.items]
    assert [i.values for i in spanish.items] == [i.values for i in original.items]
    answers = {f"phq9-{n}": 2 for n in range(1, 10)} | {"phq9-10": 1}
    assert library.score(spanish, answers).as_json() == library.score(original, answers).as_json()
    assert library.localized(original, "en") is original
    assert library.localized(library.get("gad7"), "es") is library.get("gad7")


def test_a_form_that_leaves_out_an_item_is_refused(tmp_path, monkeypatch):
    """A Spanish form missing an item is a broken data file, never a half-translated questionnaire."""
    data = json.loads((INSTRUMENTS_DIR / "phq9.questionnaire.es.json").read_text(encoding="utf-8"))
    del data["items"]["phq9-9"]
    (tmp_path / "phq9.questionnaire.es.json").write_text(json.dumps(data), encoding="utf-8")
    shutil.copy(INSTRUMENTS_DIR / "phq9.questionnaire.json", tmp_path)
    monkeypatch.setattr(translations, "INSTRUMENTS_DIR", tmp_path)
    translations.translation.cache_clear()
    try:
        with pytest.raises(InstrumentDataError):
            library.localized(library.get("phq9"), "es")
    finally:
        translations.translation.cache_clear()


@pytest.mark.django_db
def test_a_spanish_reader_answers_the_published_spanish_phq9_without_the_notice(client, world):
    """In Spanish, the PHQ-9 intro, items and answers are the published Spanish form (lang="es"), with no notice;
    in English it stays the English original."""
    request = due_request(world, "phq9")
    client.force_login(world.sam.user, backend=BACKEND)
    english = client.get(reverse("measures:request", args=[request.pk])).content.decode()
    assert "Over the last 2 weeks" in english
    client.cookies["django_language"] = "es"
    intro = client.get(reverse("measures:request", args=[request.pk])).content.decode()
    assert f'<p class="preamble" lang="es">{PREAMBLE}</p>' in intro.replace("&#x27;", "'")
    assert 'id="original-language-notice"' not in intro
    assert client.post(reverse("measures:start", args=[request.pk]), {"view": "one"}).status_code == 302
    response = MeasureResponse.objects.get(request=request)
    page = client.get(reverse("measures:question", args=[response.pk, "phq9-1"])).content.decode()
    assert '<legend lang="es"><span class="item-number">1.</span> Poco interés o placer en hacer cosas</legend>' in page
    assert "Ningún día" in page
    assert "Not at all" not in page
    assert 'id="original-language-notice"' not in page


@pytest.mark.django_db
def test_gad7_without_a_confirmed_spanish_form_keeps_the_english_original_and_the_notice(client, world):
    """No published Spanish GAD-7 could be confirmed word for word: the English original shows, with the notice."""
    request = due_request(world, "gad7")
    client.force_login(world.sam.user, backend=BACKEND)
    client.cookies["django_language"] = "es"
    page = client.get(reverse("measures:request", args=[request.pk])).content.decode()
    assert 'id="original-language-notice"' in page
    assert '<p class="preamble" lang="en">' in page
