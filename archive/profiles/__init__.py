"""Technicians' career profiles: role, story and photos, public only with the person's consent."""
