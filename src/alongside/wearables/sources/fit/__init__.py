"""Garmin FIT activity and monitoring files."""
