"""The starter catalogue comes from a data migration, which a transactional test's flush empties.

Browser and live-server tests (earlier in the run) flush every table after themselves, migration data
included. So each test here starts from what the migration writes: when the catalogue is missing, the
migration's own ``load`` runs again.
"""

from __future__ import annotations

import importlib

import pytest


@pytest.fixture(autouse=True)
def _starter_catalogue(request):
    marker = request.node.get_closest_marker("django_db")
    if marker is None and "live_server" not in request.fixturenames:
        return  # a test without the database
    transactional = "live_server" in request.fixturenames or (marker is not None and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.apps import apps

    from alongside.applibrary.models import App

    if not App.objects.exists():
        migration = importlib.import_module("alongside.applibrary.migrations.0002_starter_catalogue")
        migration.load(apps, None)
