"""Files that must be refused, each with the words the refusal must contain."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from tests.fixtures.app import SAMPLES


def png_claiming(width: int, height: int) -> bytes:
    """Return a small PNG whose header claims a huge picture: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


def _jpeg(size=(640, 480)) -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise(size, 40).convert("RGB").save(buffer, "JPEG")
    return buffer.getvalue()


def _pdf() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (100, 140), "white").save(buffer, "PDF")
    return buffer.getvalue()


def _heic() -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((320, 240), 40).convert("RGB").save(buffer, "HEIF")
    return buffer.getvalue()


def _gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (10, 10)).save(buffer, "GIF")
    return buffer.getvalue()


# name: (file name as sent, bytes or a sample's path, words the reason must contain)
BAD_FILES = {
    "corrupted camera file": ("corrupted.jpg", SAMPLES / "corrupted.jpg", "damaged"),
    "empty file": ("empty.jpg", b"", "empty"),
    "text named .jpg": ("notes.jpg", b"Meeting notes\nBring the calibration kit.\n", "text file"),
    "PDF named .jpg": ("scan.jpg", _pdf(), "PDF"),
    "decompression bomb": ("bomb.png", png_claiming(40_000, 40_000), "too many pixels"),
    "bomb just over the limit": ("big.png", png_claiming(11_000, 11_000), "too many pixels"),
    "truncated JPEG": ("half.jpg", _jpeg()[:6000], "damaged"),
    "truncated HEIC": ("IMG_0001.HEIC", _heic()[:1500], "damaged"),
    "GIF": ("anim.gif", _gif(), "GIF"),
    "SVG": (
        "logo.jpg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "SVG",
    ),
    "HTML": ("page.jpg", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "HTML"),
}


@pytest.fixture(params=sorted(BAD_FILES))
def bad_file(request, tmp_path) -> tuple[Path, str, str]:
    """Write one refusable file; return (path, name it is sent as, words its refusal contains)."""
    name, content, words = BAD_FILES[request.param]
    if isinstance(content, Path):
        if not content.exists():
            pytest.skip(f"camera samples not found at {content.parent}")
        content = content.read_bytes()
    path = tmp_path / "incoming" / name
    path.parent.mkdir()
    path.write_bytes(content)
    return path, name, words
