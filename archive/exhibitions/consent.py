"""Which consents an exhibition needs wherever it is shown, and who lacks them.

The one place that answers "what scopes does this exhibition need": the gallery, its
images and manifest, the exports, publishing and the builder all ask needed_scopes(),
and each item is then judged by consent.rules.allowed() for every scope it names.
"""

from dataclasses import dataclass
from datetime import date

from archive.consent.models import ConsentScope
from archive.consent.rules import allowed_everywhere
from archive.exhibitions.models import Exhibition, ExhibitionItem, Showing
from archive.people.edi import edi_term_in
from archive.photos.models import Photo
from archive.search.query_language import searches_edi


def identity_framing(exhibition: Exhibition) -> list[str]:
    """Return why the exhibition is about identity, in a curator's words; empty if it is not.

    Showing someone in an exhibition about, say, women in technical roles tells every
    visitor that person's gender: such an exhibition needs its own opt-in.
    """
    reasons = []
    if exhibition.smart_rule and searches_edi(exhibition.smart_rule):
        reasons.append("its smart rule searches people's EDI answers")
    term = edi_term_in(f"{exhibition.title}\n{exhibition.summary}")
    if term:
        reasons.append(f"its title or summary speaks of “{term}”")
    if exhibition.about_identity:
        reasons.append("it is marked as about identity")
    return reasons


def needed_scopes(
    exhibition: Exhibition, showing: Showing = Showing.ONLINE
) -> frozenset[ConsentScope]:
    """Return the consents every person shown must hold for the exhibition to show them.

    Online, the gallery takes what its visibility and its use each need: a physical
    exhibition also published on the web needs physical-exhibition and web consent both.
    A kiosk export is a physical showing, whatever the web visibility. An exhibition about
    identity needs that opt-in as well, wherever it is shown.
    """
    if showing is Showing.PHYSICAL:
        scopes = {ConsentScope.EXHIBITION}
    else:
        scopes = {exhibition.visibility.scope, exhibition.use.scope}
    if identity_framing(exhibition):
        scopes.add(ConsentScope.IDENTITY)
    return frozenset(scopes)


@dataclass(frozen=True)
class ConsentNeeds:
    """What the builder tells a curator about the consents an exhibition takes."""

    online: list[ConsentScope]
    kiosk: list[ConsentScope]
    identity: list[str]  # why it is about identity; empty if it is not
    left_out_of_kiosk: list[str]  # who the kiosk export leaves out, for want of what


def consent_needs(exhibition: Exhibition, today: date | None = None) -> ConsentNeeds:
    """Return the consents the exhibition needs online and in a kiosk, and what is missing."""

    def ordered(showing: Showing) -> list[ConsentScope]:
        needed = needed_scopes(exhibition, showing)
        return [scope for scope in ConsentScope if scope in needed]

    return ConsentNeeds(
        online=ordered(Showing.ONLINE),
        kiosk=ordered(Showing.PHYSICAL),
        identity=identity_framing(exhibition),
        left_out_of_kiosk=consent_problems(exhibition, Showing.PHYSICAL, today),
    )


def consent_problems(
    exhibition: Exhibition, showing: Showing, today: date | None = None
) -> list[str]:
    """Return, item by item, who lacks which consent for the exhibition to show it so."""
    return [
        f"{item_label(number, item)} cannot be shown: {reason}."
        for number, item in enumerate(exhibition.items, start=1)
        if (reason := why_not_shown(exhibition, item.photo, showing, today))
    ]


def why_not_shown(
    exhibition: Exhibition, photo: Photo, showing: Showing = Showing.ONLINE, today=None
) -> str:
    """Return who lacks which consent for the exhibition to show the photo; empty if none."""
    decision = allowed_everywhere(photo, needed_scopes(exhibition, showing), today)
    return "" if decision.allowed else decision.reason


def item_label(number: int, item: ExhibitionItem) -> str:
    """Return how problem lists name an item: its number and title."""
    return f"Item {number} (“{item.photo.display_title}”)"
