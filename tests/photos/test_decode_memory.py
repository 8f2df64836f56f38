"""Memory is budgeted in bytes: a picture that would need too much is refused before decoding."""

import json
import struct
import subprocess
import sys
import zlib
from pathlib import Path

from PIL import Image

from archive.photos.analysis import Limits, analyse

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024

# Runs analyse() in a process of its own, so that VmHWM is this picture's peak alone.
MEASURE = """
import json, sys
from pathlib import Path
from archive.photos.analysis import Limits, analyse
from archive.core.intake import RejectedUpload

path, workdir, budget_mb = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
limits = Limits(max_bytes=250 << 20, max_pixels=120_000_000, max_decode_bytes=budget_mb << 20)
before = next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1]
try:
    analyse(path, workdir, limits)
    outcome = "accepted"
except RejectedUpload as refused:
    outcome = str(refused)
after = next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1]
print(json.dumps({"outcome": outcome, "before_kb": int(before), "peak_kb": int(after)}))
"""


def rgba_png_declaring(width: int, height: int) -> bytes:
    """Return a small PNG (a few hundred kB) of width × height fully transparent RGBA pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + 4 * width)
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def measure(path: Path, tmp_path: Path, budget_mb: int) -> dict:
    workdir = tmp_path / "work"
    workdir.mkdir()
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path), str(workdir), str(budget_mb)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(result.stdout)


def test_a_small_png_declaring_119_megapixels_is_refused_within_the_budget(tmp_path):
    path = tmp_path / "bomb.png"
    path.write_bytes(rgba_png_declaring(10_900, 10_900))
    assert path.stat().st_size < 600_000
    seen = measure(path, tmp_path, budget_mb=512)
    assert seen["outcome"].startswith("the picture would need about "), seen
    assert "more than this archive allows (0.5 GB)" in seen["outcome"]
    assert seen["peak_kb"] < 512 * 1024, seen


def test_a_picture_within_the_budget_is_decoded_within_it(tmp_path):
    # 6000 × 6000 RGBA: about 0.4 GB to decode, flatten and shrink; 2.75× that before.
    path = tmp_path / "poster.png"
    path.write_bytes(rgba_png_declaring(6_000, 6_000))
    seen = measure(path, tmp_path, budget_mb=600)
    assert seen["outcome"] == "accepted", seen
    assert seen["peak_kb"] - seen["before_kb"] < 600 * 1024, seen


def test_an_ordinary_24_megapixel_jpeg_is_accepted_under_the_default_budget(tmp_path):
    path = tmp_path / "DSC_0001.JPG"
    Image.effect_noise((6000, 4000), 50).convert("RGB").save(path, "JPEG", quality=90)
    workdir = tmp_path / "work"
    workdir.mkdir()
    limits = Limits(max_bytes=250 * MB, max_pixels=120_000_000)  # DECODE_MEMORY_MB's default
    assert len(analyse(path, workdir, limits).derivatives) == 3
