"""Photos: ingest, derivatives, upload, review and the photo pages."""
