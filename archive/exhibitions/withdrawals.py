"""What a withdrawn consent takes out of exhibitions, said in the withdrawal's audit event."""

from datetime import date

from sqlalchemy import select

from archive.consent.models import ConsentForm
from archive.exhibitions.gallery import lost_items
from archive.exhibitions.models import Exhibition, ExhibitionItem
from archive.extensions import db
from archive.photos.models import Photo


def exhibitions_losing_photos(form: ConsentForm, on: date) -> str:
    """Name the exhibitions that stop showing a photo of the form's person from `on`."""
    if form.person is None:
        return ""
    query = (
        select(Exhibition)
        .join(Exhibition.items)
        .join(ExhibitionItem.photo)
        .where(Photo.people.contains(form.person))
        .distinct()
        .order_by(Exhibition.id)
    )
    losing = [
        exhibition
        for exhibition in db.session.execute(query).scalars()
        if any(form.person in item.photo.people for item in lost_items(exhibition, on))
    ]
    if not losing:
        return ""
    # Ids, not titles: the audit log outlives erasure and stays free of personal detail, and
    # a title may name someone or, beside this consent form, tell an EDI answer.
    ids = ", ".join(f"#{exhibition.id}" for exhibition in losing)
    return f"Exhibitions that stop showing a photo: {ids}."
