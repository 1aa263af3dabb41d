"""Self-care pages: homework. Thin views: reads through selectors, writes through services."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
