"""Risk analytics: not-on-track and dropout warnings, built on a population pipeline and evaluated before use."""
