"""People shown in photos and the controlled vocabularies that describe them."""
