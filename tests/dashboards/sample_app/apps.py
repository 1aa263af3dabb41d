from __future__ import annotations

from django.apps import AppConfig


class SampleAppConfig(AppConfig):
    name = "tests.dashboards.sample_app"
    label = "dashboards_sample_app"

    def ready(self) -> None:
        from tests.dashboards.sample_app import contributions

        contributions.register()
