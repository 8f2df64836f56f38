"""Curated virtual exhibitions: the builder, public galleries and the IIIF manifest."""
