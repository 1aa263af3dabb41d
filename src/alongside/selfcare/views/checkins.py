"""Self-care pages: checkins. Thin views: reads through selectors, writes through services."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
