"""A stand-in for a future app (wearables, say) that contributes to the composed pages and edits no other app."""
