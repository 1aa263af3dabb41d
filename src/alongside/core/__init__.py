"""Small, generic pieces shared by every app (no domain logic lives here)."""
