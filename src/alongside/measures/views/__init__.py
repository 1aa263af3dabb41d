"""Measures pages: ``client`` (answering, results, crisis help) and ``staff`` (schedules, alerts, progress)."""
