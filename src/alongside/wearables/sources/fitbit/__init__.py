"""Fitbit / Google account archive importer."""
