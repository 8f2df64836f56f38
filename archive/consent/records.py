"""Plain one-page PDF documents: the record of a consent given online."""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

_PAGE = (1240, 1754)  # A4 at 150 dpi
_MARGIN = 100


def write_text_pdf(path: Path, heading: str, lines: list[str]) -> Path:
    """Write a single A4 page with a heading and lines of text as a PDF."""
    page = Image.new("L", _PAGE, 255)
    draw = ImageDraw.Draw(page)
    draw.text((_MARGIN, _MARGIN), heading, fill=0, font=ImageFont.load_default(size=40))
    body = ImageFont.load_default(size=26)
    y = _MARGIN + 110
    for line in lines:
        for wrapped in _wrap(draw, line, body, _PAGE[0] - 2 * _MARGIN):
            draw.text((_MARGIN, y), wrapped, fill=0, font=body)
            y += 40
        y += 14
    page.save(path, "PDF", resolution=150)
    return path


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and draw.textlength(candidate, font=font) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current]
