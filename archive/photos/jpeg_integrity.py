"""A structural check of JPEG files for damage that decoders silently paper over.

libjpeg repairs a damaged scan by resynchronising at the next restart marker and
painting what is missing grey; Pillow hides its warning ("Corrupt JPEG data: premature
end of data segment"). When a file uses restart markers, their count is fixed by the
image size and they cycle RST0…RST7 in order, so a missing, extra or out-of-order
marker proves that picture data was lost.
"""

import math
import mmap
import re
from pathlib import Path

_RESTART = re.compile(rb"\xff[\xd0-\xd7]")
# A marker that ends an entropy-coded segment: anything but a stuffed 0x00, fill 0xFF or RSTn.
_SEGMENT_END = re.compile(rb"\xff[^\x00\xff\xd0-\xd7]")
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


def jpeg_damage(path: Path) -> str | None:
    """Return why a JPEG's picture data is damaged, or None if no damage can be seen."""
    with (
        open(path, "rb") as source,
        mmap.mmap(source.fileno(), 0, access=mmap.ACCESS_READ) as data,
    ):
        return _scan(data)


def _scan(data) -> str | None:
    position, frame, restart_interval = 2, None, 0
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return "the file's structure is broken"
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte before a marker
            position += 1
            continue
        if marker == 0xD9:  # end of image
            return None
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        body = data[position + 4 : position + 2 + length]
        if marker in _SOF_MARKERS:
            frame = _frame(body)
        elif marker == 0xDD:
            restart_interval = int.from_bytes(body[:2], "big")
        position += 2 + length
        if marker == 0xDA:
            end = _SEGMENT_END.search(data, position)
            if end is None:
                return "the picture data is cut short"
            if restart_interval and frame:
                expected = math.ceil(_units_in_scan(frame, body) / restart_interval) - 1
                found = [m.group()[1] for m in _RESTART.finditer(data, position, end.start())]
                # RST0…RST7 repeat in order: a lost or stray marker breaks the count or the cycle.
                if found != [0xD0 + index % 8 for index in range(expected)]:
                    return "part of the picture data is missing or corrupt"
            position = end.start()
    return None


def _frame(body: bytes) -> dict:
    height = int.from_bytes(body[1:3], "big")
    width = int.from_bytes(body[3:5], "big")
    components = {}
    for index in range(body[5]):
        identifier, sampling = body[6 + 3 * index], body[7 + 3 * index]
        components[identifier] = (sampling >> 4, sampling & 0x0F)
    return {"width": width, "height": height, "components": components}


def _units_in_scan(frame: dict, sos_body: bytes) -> int:
    """Return the MCUs in a scan: the restart interval counts these."""
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
