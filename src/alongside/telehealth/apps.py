from typing import Any

from django.apps import AppConfig


class TelehealthConfig(AppConfig):
    name = "alongside.telehealth"
    verbose_name = "Video sessions"

    def ready(self) -> None:
        from alongside.audit.models import register_actions
        from alongside.telehealth.models import CalendarAuditAction, GuestLinkAuditAction, TelehealthAuditAction

        register_actions(TelehealthAuditAction)
        register_actions(CalendarAuditAction)
        from alongside.telehealth.group_models import GroupAuditAction

        register_actions(GroupAuditAction)
        from alongside.telehealth.group_call_models import GroupCallAuditAction

        register_actions(GroupCallAuditAction)
        register_actions(GuestLinkAuditAction)

        # Every made, moved or cancelled appointment sends its calendar invitation (in the same transaction).
        from alongside.sessions import hooks as session_hooks

        session_hooks.register(_on_appointment_changed)
        # A one-to-one session may not be booked over a group session of the clinician or the client.
        from alongside.telehealth.groups import group_busy

        session_hooks.register_busy_check(group_busy)
        # ... nor over a group the clinician is a staff guest of.
        from alongside.telehealth.group_members import guest_busy

        session_hooks.register_busy_check(guest_busy)

        from alongside.telehealth.page_parts import register

        register()

        # The worker runs `measures_tick` every few minutes; it calls these after making requests.
        from alongside.measures import hooks
        from alongside.telehealth.services import reminders_send

        hooks.register(hooks.REQUEST_MAKERS, reminders_send)
        hooks.register(hooks.REQUEST_MAKERS, _close_group_rooms)


def _on_appointment_changed(appointment: Any, change: Any) -> None:
    """Send the calendar invitation of a made, moved or cancelled appointment (a ``sessions.hooks`` listener)."""
    from alongside.telehealth.services.invitations import invitation_send

    invitation_send(appointment=appointment, change=change)


def _close_group_rooms() -> int:
    """Destroy the Janus rooms of finished group sessions (on the worker's tick); they are not requests, so 0."""
    from alongside.telehealth import janus
    from alongside.telehealth.services.groups import group_rooms_close_due

    if janus.enabled():
        group_rooms_close_due()
    return 0
