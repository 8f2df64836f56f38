"""Technicians' career profiles: a person's role, story and photos, public only with their consent."""
