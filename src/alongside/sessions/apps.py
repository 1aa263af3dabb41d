from django.apps import AppConfig


class SessionsConfig(AppConfig):
    name = "alongside.sessions"
    # "sessions" is django.contrib.sessions' label.
    label = "therapy_sessions"
    verbose_name = "Therapy sessions and appointments"
