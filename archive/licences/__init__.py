"""Licences: the terms a photo may be used under and the credit line each asks for."""
