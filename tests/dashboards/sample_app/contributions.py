"""One of each contribution, registered the way a real app would (from AppConfig.ready)."""

from __future__ import annotations

from alongside.core.page_parts import (
    AttentionReason,
    Badge,
    BriefSection,
    CaseloadColumn,
    HomeCard,
    register_attention_reason,
    register_badge,
    register_brief_section,
    register_caseload_column,
    register_home_card,
)


def register() -> None:
    register_attention_reason(
        AttentionReason(
            key="sample_quiet",
            label="Quiet lately",
            find=lambda clients, now: {client.pk: "No steps logged for 5 days." for client in clients[:1]},
        )
    )
    register_caseload_column(
        CaseloadColumn(
            key="sample_steps",
            label="Steps today",
            values=lambda clients, now: {client.pk: f"{1000 + i} steps" for i, client in enumerate(clients)},
        )
    )
    register_brief_section(
        BriefSection(
            key="sample_sleep",
            title="Sleep from the sample app",
            template="sample_app/brief.html",
            build=lambda client, since, now: {"hours": 7, "since": since},
        )
    )
    register_home_card(
        HomeCard(
            key="sample_card",
            template="sample_app/home.html",
            build=lambda request, client: {"name": client.preferred_name},
        )
    )
    register_badge(
        Badge(key="sample_badge", label="Sample inbox", url_name="web:home", audience="staff", count=lambda user: 3)
    )
