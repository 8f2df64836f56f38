"""A structural check of JPEG files for damage that decoders silently paper over.

libjpeg repairs a damaged scan by resynchronising at the next restart marker and
painting what is missing grey; Pillow hides its warning ("Corrupt JPEG data: premature
end of data segment"). When a file uses restart markers, their count is fixed by the
image size and they cycle RST0…RST7 in order, so a missing, extra or out-of-order
marker proves that picture data was lost.

Everything else is left to the decoder, which refuses a picture it cannot decode
completely: this check reads segments the way libjpeg does (skipping stray bytes
before a marker, ignoring what follows the picture), so it refuses only real damage.
"""

import math
import mmap
import re
from pathlib import Path

_RESTART = re.compile(rb"\xff[\xd0-\xd7]")
# A marker that ends an entropy-coded segment: anything but a stuffed 0x00, fill 0xFF or RSTn.
_SEGMENT_END = re.compile(rb"\xff[^\x00\xff\xd0-\xd7]")
# The next marker, after any fill bytes: libjpeg skips "extraneous bytes before marker".
_MARKER = re.compile(rb"\xff+([^\x00\xff])")
_END_OF_IMAGE = 0xD9
_START_OF_SCAN = 0xDA
_RESTART_INTERVAL = 0xDD
# Markers that stand alone, with no length field: TEM and RST0…RST7.
_STANDALONE = {0x01, *range(0xD0, 0xD8)}
_SOF_MARKERS = {
    0xC0,
    0xC1,
    0xC2,
    0xC3,
    0xC5,
    0xC6,
    0xC7,
    0xC9,
    0xCA,
    0xCB,
    0xCD,
    0xCE,
    0xCF,
}
BROKEN_HEADER = "the file's structure is broken"
LOST_DATA = "part of the picture data is missing or corrupt"


def jpeg_damage(path: Path) -> str | None:
    """Return why a JPEG's picture data is damaged, or None if no damage can be seen.

    Never raises for any content: a malformed segment is a reason, not an error.
    """
    with open(path, "rb") as source:
        if source.seek(0, 2) == 0:
            return BROKEN_HEADER
        with mmap.mmap(source.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return _scan(data)


def _scan(data) -> str | None:
    position, frame, restart_interval, scans = 2, None, 0, 0
    while (found := _MARKER.search(data, position)) is not None:
        marker, position = found.group(1)[0], found.end()
        if marker == _END_OF_IMAGE:
            return None  # whatever follows (a motion photo's video, an MPO's next picture)
        if marker in _STANDALONE:
            continue
        length = int.from_bytes(data[position : position + 2], "big")
        if length < 2 or position + length > len(data):
            # A segment running past the end: fatal before the picture, and after it
            # only metadata is lost; whether the picture is complete the decoder tells.
            return None if scans else BROKEN_HEADER
        body = data[position + 2 : position + length]
        position += length
        if marker in _SOF_MARKERS:
            frame = _frame(body)
            if frame is None:
                return BROKEN_HEADER
        elif marker == _RESTART_INTERVAL:
            if len(body) < 2:
                return BROKEN_HEADER
            restart_interval = int.from_bytes(body[:2], "big")
        elif marker == _START_OF_SCAN:
            scans += 1
            position, damage = _check_scan(data, position, body, frame, restart_interval)
            if damage:
                return damage
    return None


def _check_scan(data, start: int, sos_body: bytes, frame, restart_interval: int):
    """Return where a scan's entropy-coded data ends, and what damage its restart markers show."""
    end = _SEGMENT_END.search(data, start)
    stop = end.start() if end is not None else len(data)
    if not (restart_interval and frame):
        return stop, None
    units = _units_in_scan(frame, sos_body)
    if units is None:
        return stop, BROKEN_HEADER
    expected = [0xD0 + index % 8 for index in range(math.ceil(units / restart_interval) - 1)]
    found = [m.group()[1] for m in _RESTART.finditer(data, start, stop)]
    # RST0…RST7 repeat in order: a lost or stray marker breaks the count or the cycle.
    if found == expected:
        return stop, None
    # Some cameras (Casio) write one more RSTn after the last interval, just before EOI:
    # it continues the cycle and no data follows it, so nothing is lost.
    ends_with_eoi = end is not None and data[stop + 1] == _END_OF_IMAGE
    trailing = stop >= 2 and _RESTART.fullmatch(data[stop - 2 : stop]) is not None
    if ends_with_eoi and trailing and found == [*expected, 0xD0 + len(expected) % 8]:
        return stop, None
    return stop, LOST_DATA


def _frame(body: bytes) -> dict | None:
    """Return the frame's size and each component's sampling, or None if malformed."""
    if len(body) < 6 or body[5] == 0 or len(body) < 6 + 3 * body[5]:
        return None
    height = int.from_bytes(body[1:3], "big")
    width = int.from_bytes(body[3:5], "big")
    components = {}
    for index in range(body[5]):
        identifier, sampling = body[6 + 3 * index], body[7 + 3 * index]
        if sampling >> 4 == 0 or sampling & 0x0F == 0:
            return None
        components[identifier] = (sampling >> 4, sampling & 0x0F)
    return {"width": width, "height": height, "components": components}


def _units_in_scan(frame: dict, sos_body: bytes) -> int | None:
    """Return the MCUs in a scan (the restart interval counts these), or None if malformed."""
    if not sos_body or sos_body[0] == 0 or len(sos_body) < 1 + 2 * sos_body[0]:
        return None
    sampling = frame["components"]
    h_max = max(h for h, _ in sampling.values())
    v_max = max(v for _, v in sampling.values())
    in_scan = [sos_body[1 + 2 * index] for index in range(sos_body[0])]
    if len(in_scan) == 1:
        # A single-component scan is not interleaved: each 8×8 block is one unit.
        h, v = sampling.get(in_scan[0], (h_max, v_max))
        blocks_x = math.ceil(math.ceil(frame["width"] * h / h_max) / 8)
        blocks_y = math.ceil(math.ceil(frame["height"] * v / v_max) / 8)
        return blocks_x * blocks_y
    return math.ceil(frame["width"] / (8 * h_max)) * math.ceil(frame["height"] / (8 * v_max))
