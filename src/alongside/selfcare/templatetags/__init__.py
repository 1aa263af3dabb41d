"""Template tags of the self-care app."""
