"""Arranging the items already in an exhibition: their texts, the cover, their order, removal."""

from archive.auth.models import User
from archive.core.audit import record_event
from archive.core.database import write_transaction
from archive.exhibitions.models import Exhibition, ExhibitionItem
from archive.extensions import db


def update_item(
    item: ExhibitionItem, *, caption: str, alt_text: str, section: str, by: User | None = None
) -> ExhibitionItem:
    """Save an item's curator caption, alt text and the section heading before it."""
    with write_transaction():
        item.caption, item.alt_text, item.section = caption, alt_text, section
        record_event(by, "exhibition.item_updated", "exhibition", item.exhibition_id, f"{item.id}")
    return item


def set_cover(item: ExhibitionItem, *, by: User | None = None) -> None:
    """Make the item's photo its exhibition's cover (shown in the index and when shared)."""
    with write_transaction():
        item.exhibition.cover_photo_id = item.photo_id
        record_event(by, "exhibition.cover_set", "exhibition", item.exhibition_id, f"{item.id}")


def remove_item(item: ExhibitionItem, *, by: User | None = None) -> None:
    """Take an item out of its exhibition; the photo stays in the archive."""
    with write_transaction():
        record_event(
            by, "exhibition.item_removed", "exhibition", item.exhibition_id, f"{item.photo_id}"
        )
        db.session.delete(item)


def move_item(item: ExhibitionItem, offset: int, *, by: User | None = None) -> None:
    """Move an item up (-1) or down (+1) the order; past either end it stays put."""
    items = list(item.exhibition.items)
    index = items.index(item)
    target = index + offset
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
        _renumber(item.exhibition, items, by)


def set_order(exhibition: Exhibition, item_ids: list[int], *, by: User | None = None) -> None:
    """Put the items in the given order (items not named keep their place at the end)."""
    by_id = {item.id: item for item in exhibition.items}
    ordered = [by_id[i] for i in item_ids if i in by_id]
    ordered += [item for item in exhibition.items if item not in ordered]
    _renumber(exhibition, ordered, by)


def _renumber(exhibition: Exhibition, items: list[ExhibitionItem], by: User | None) -> None:
    with write_transaction():
        for position, item in enumerate(items):
            item.position = position
        record_event(by, "exhibition.reordered", "exhibition", exhibition.id)
