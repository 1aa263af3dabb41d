"""The session brief's own sections come from the apps that own their data, through core.page_parts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from alongside.core import page_parts as registry
from alongside.dashboards import brief
from alongside.dashboards.brief import SECTIONS, brief_for

pytestmark = pytest.mark.django_db


def test_every_brief_section_is_registered_by_its_app() -> None:
    """Measures, self-care and messaging register the six sections, each with the scope it needs."""
    parts = {key: registry.brief_part(key) for key in SECTIONS}
    assert all(parts.values()), [key for key, part in parts.items() if part is None]
    scopes = {key: part.scope for key, part in parts.items() if part is not None}
    assert scopes == {
        "questionnaires": "measures",
        "mood": "mood",
        "exercises": "exercises",
        "alerts": None,
        "topics": None,
        "messages": "messages",
    }
    owners = {key: part.build.__module__ for key, part in parts.items() if part is not None}
    assert owners["questionnaires"] == owners["alerts"] == "alongside.measures.brief_parts"
    assert owners["messages"] == "alongside.messaging.brief_parts"


def test_the_brief_imports_no_domain_app_for_its_sections() -> None:
    """dashboards.brief names no measures, self-care or messaging module: the registry is the only way in."""
    source = Path(brief.__file__).read_text(encoding="utf-8")
    assert not re.search(r"alongside\.(measures|selfcare|messaging)\b", source)


def test_the_brief_builds_a_section_with_what_is_registered(world) -> None:
    """Replacing the registered topics section changes what Sam's brief shows; without the registry it is gone."""
    saved = registry.snapshot()
    try:
        registry.register_brief_part(
            registry.BriefPart("topics", None, lambda actor, client, since, now: [f"topic for {client.pk}"])
        )
        shown = brief_for(actor=world.alice, client_id=world.sam.pk)
        assert shown.topics.shown
        assert shown.topics.data == [f"topic for {world.sam.pk}"]
        registry.restore((*saved[:-1], {}))  # no app registered any of the brief's own sections
        empty = brief_for(actor=world.alice, client_id=world.sam.pk)
        assert all(getattr(empty, key).failed for key in SECTIONS)
    finally:
        registry.restore(saved)
