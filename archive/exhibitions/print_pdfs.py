"""The print pack's PDFs: wall labels, the checklist and the text panel (ReportLab).

The font is embedded, so a print shop sees the letters the archive wrote. ReportLab's 14
standard fonts are never embedded and know no letter outside Latin-1, so a TrueType font
is registered instead: DejaVu Sans where the system has it (Debian's fonts-dejavu-core,
installed with fontconfig: Latin with every accent, Greek, Cyrillic, Armenian, Georgian
and more), else Bitstream Vera, which ships inside the reportlab wheel itself, so a pack
can always be made (Western European accents only; a letter it lacks prints as a box).
matplotlib also ships DejaVu, but only the tests install it.
"""

import io
from collections.abc import Iterable, Sequence
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib.pagesizes import A4, A5, A6, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

if TYPE_CHECKING:
    from archive.exhibitions.models import Exhibition
    from archive.exhibitions.print_pack import PrintItem

FONT, BOLD = "PrintSans", "PrintSans-Bold"
_SYSTEM_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
_REPORTLAB_FONTS = Path(reportlab.__file__).parent / "fonts"
FONT_FILES = [
    (_SYSTEM_DEJAVU / "DejaVuSans.ttf", _SYSTEM_DEJAVU / "DejaVuSans-Bold.ttf"),
    (_REPORTLAB_FONTS / "Vera.ttf", _REPORTLAB_FONTS / "VeraBd.ttf"),
]
LABEL_SIZES = {"A6": A6, "A5": A5}
MARGIN = 10 * mm
# A label is read standing a step away: 24 pt titles, 15 pt text; a caption too long for
# its page is set smaller, down to 12 pt, before it continues on a page of its own.
TITLE_PT, BODY_PT, SMALLEST_BODY_PT = 24, 15, 12


class LabelSizeUnknown(ValueError):
    """PRINT_LABEL_SIZE is not A6, A5 or WIDTHxHEIGHT in millimetres."""


def label_page_size(setting: str) -> tuple[float, float]:
    """Return the label's page size in points from "A6", "A5" or e.g. "105x148" (mm)."""
    text = setting.strip().upper()
    if text in LABEL_SIZES:
        return LABEL_SIZES[text]
    width, _, height = text.partition("X")
    try:
        size = (float(width) * mm, float(height) * mm)
    except ValueError:
        size = (0.0, 0.0)
    if min(size) < 50 * mm:
        raise LabelSizeUnknown(
            f"PRINT_LABEL_SIZE is “{setting}”: set A6, A5 or a size in millimetres such as "
            "105x148, at least 50 mm each way."
        )
    return size


def wall_labels_pdf(items: Sequence["PrintItem"], label_size: str) -> bytes:
    """Return one label a page per item: title, caption, credit and licence, wrapped to fit.

    A caption too long for the page is set smaller, down to 12 pt; one longer still
    continues on the next page, before the next item's label.
    """
    page = label_page_size(label_size)
    buffer = io.BytesIO()
    document = _document(buffer, page, MARGIN, "Wall labels")
    width, height = document.width, document.height
    story = []
    for item in items:
        for body_pt in range(BODY_PT, SMALLEST_BODY_PT - 1, -1):
            label = _label_flowables(item, body_pt)
            if _height_of(label, width) <= height:
                break
        story += [*label, PageBreak()]
    document.build(story[:-1])
    return buffer.getvalue()


def _label_flowables(item: "PrintItem", body_pt: int) -> list:
    body = _style(body_pt)
    flowables = [Paragraph(escape(item.title), _style(TITLE_PT, bold=True)), Spacer(0, 4 * mm)]
    if item.caption:
        flowables += [Paragraph(_lines(item.caption), body), Spacer(0, 4 * mm)]
    small = _style(SMALLEST_BODY_PT + 2)
    return [
        *flowables,
        Paragraph(escape(item.credit), small),
        Paragraph(escape(item.licence), small),
    ]


def _height_of(flowables: list, width: float) -> float:
    return sum(flowable.wrap(width, 10_000)[1] for flowable in flowables)


def checklist_pdf(title: str, items: Sequence["PrintItem"], checked_on: date) -> bytes:
    """Return the checklist on landscape A4: one row per item, consent as on the day made."""
    buffer = io.BytesIO()
    document = _document(buffer, landscape(A4), MARGIN, f"Checklist: {title}")
    cell = _style(9)
    # A row may be taller than the page (a long caption): splitInRow lets it go on over.
    header = ["#", "File", "Pixels", "Largest print at 300 dpi", "Label", "Consent"]
    rows = [
        [
            str(item.position),
            Paragraph(escape(item.file_name), cell),
            f"{item.width} × {item.height}",
            Paragraph(f"{item.print_mm}<br/>{item.print_inches}", cell),
            Paragraph(_label_text(item), cell),
            Paragraph(escape(item.consent), cell),
        ]
        for item in items
    ]
    table = Table([header, *rows], colWidths=[10 * mm, 50 * mm, 28 * mm, 38 * mm, 85 * mm, 55 * mm],
                  repeatRows=1, splitInRow=1)  # fmt: skip
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9),
                ("FONT", (0, 0), (-1, 0), BOLD, 9),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("GRID", (0, 0), (-1, -1), 0.5, "#777777"),
            ]
        )
    )
    heading = Paragraph(f"Checklist: {escape(title)}", _style(16, bold=True))
    day = Paragraph(f"Consent checked on {checked_on.isoformat()}.", _style(11))
    document.build([heading, day, Spacer(0, 4 * mm), table])
    return buffer.getvalue()


def _label_text(item: "PrintItem") -> str:
    parts = [f"<b>{escape(item.title)}</b>", _lines(item.caption), escape(item.credit)]
    return "<br/>".join([part for part in parts if part] + [escape(item.licence)])


def text_panel_pdf(exhibition: "Exhibition", credits: Iterable[str]) -> bytes:
    """Return the exhibition's title, introduction and credits on an A4 page (or more)."""
    buffer = io.BytesIO()
    document = _document(buffer, A4, 20 * mm, exhibition.title)
    body = _style(14)
    story = [Paragraph(escape(exhibition.title), _style(32, bold=True)), Spacer(0, 6 * mm)]
    for kind, text in introduction_blocks(exhibition.body_html):
        style = _style(18, bold=True) if kind == "heading" else body
        story += [Paragraph(("• " if kind == "item" else "") + escape(text), style)]
        story.append(Spacer(0, 3 * mm))
    story += [Spacer(0, 6 * mm), Paragraph("Photographs", _style(18, bold=True))]
    story += [Paragraph(escape(credit), body) for credit in credits]
    document.build(story)
    return buffer.getvalue()


def introduction_blocks(html: str) -> list[tuple[str, str]]:
    """Return the introduction's sanitised HTML as ("heading" | "paragraph" | "item", text)."""
    reader = _Blocks()
    reader.feed(html)
    reader.close()
    return reader.blocks


class _Blocks(HTMLParser):
    """Split sanitised HTML into its blocks of text; inline markup is read as plain words."""

    KINDS: ClassVar[dict[str, str]] = {
        "p": "paragraph",
        "li": "item",
        "blockquote": "paragraph",
        **{f"h{level}": "heading" for level in range(1, 7)},
    }

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []
        self._kind, self._text = "paragraph", []

    def handle_starttag(self, tag, attrs):
        if tag in self.KINDS:
            self._flush()
            self._kind = self.KINDS[tag]
        elif tag == "br":
            self._text.append(" ")

    def handle_endtag(self, tag):
        if tag in self.KINDS:
            self._flush()

    def handle_data(self, data):
        self._text.append(data)

    def close(self):
        super().close()
        self._flush()

    def _flush(self):
        text = " ".join("".join(self._text).split())
        if text:
            self.blocks.append((self._kind, text))
        self._kind, self._text = "paragraph", []


def _document(
    buffer: io.BytesIO, page: tuple[float, float], margin: float, title: str
) -> SimpleDocTemplate:
    """Return a document of that page and margin whose every font is the embedded one."""
    _register_fonts()
    # Each page otherwise opens in Helvetica, a font named in the file but never embedded,
    # which a printer's preflight check reports even though no letter is set in it.
    return SimpleDocTemplate(
        buffer, pagesize=page, leftMargin=margin, rightMargin=margin, topMargin=margin,
        bottomMargin=margin, title=title, initialFontName=FONT,
    )  # fmt: skip


def _lines(text: str) -> str:
    """Return text as Paragraph markup, its line breaks kept."""
    return "<br/>".join(escape(line) for line in text.splitlines())


def _style(size: int, *, bold: bool = False) -> ParagraphStyle:
    _register_fonts()
    return ParagraphStyle(
        f"{size}{'b' if bold else ''}",
        fontName=BOLD if bold else FONT,
        fontSize=size,
        leading=size * 1.25,
    )


def _register_fonts() -> None:
    """Register the first font pair found (see the module's docstring), once per process."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    regular, bold = next(pair for pair in FONT_FILES if all(p.exists() for p in pair))
    pdfmetrics.registerFont(TTFont(FONT, str(regular)))
    pdfmetrics.registerFont(TTFont(BOLD, str(bold)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)
