from django.apps import AppConfig


class SynthConfig(AppConfig):
    name = "alongside.synth"
    label = "synth"
    verbose_name = "Synthetic data"
