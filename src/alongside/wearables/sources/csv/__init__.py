"""Generic CSV with a column mapping saved per client."""
