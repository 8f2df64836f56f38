"""The bytes a PDF's streams may expand to in a reader, measured without holding them."""

import zlib
from collections.abc import Iterable, Iterator

import pikepdf

from archive.core.intake import RejectedUpload

# Names are compared as PDF names, never as text: a name need not be valid UTF-8.
_FLATE = (pikepdf.Name.FlateDecode, pikepdf.Name.Fl)
_INFLATE_CHUNK = 1024 * 1024


class Budget:
    """The bytes a PDF's streams may expand to in a reader, spent stream by stream."""

    def __init__(self, limit: int) -> None:
        """Start with nothing spent of `limit` bytes."""
        self.limit = limit
        self.spent = 0

    def spend(self, stream: pikepdf.Stream) -> None:
        """Add what the stream expands to; refuse the PDF as soon as the total is too large.

        Flate layers are inflated piece by piece and never held whole, so a bomb costs
        the budget's worth of work and a megabyte of memory. Other filters count as
        stored: images are held to their pixels instead, and the rest expand little.
        """
        raw = stream.read_raw_bytes()
        layers = _leading_flate_layers(stream.get("/Filter"))
        if layers == 0:
            self.spent += len(raw)
        else:
            try:
                for piece in _inflate([raw], layers):
                    self.spent += len(piece)
                    if self.spent > self.limit:
                        break
            except zlib.error:
                pass  # a reader stops at damaged data too: what inflated so far is counted
        if self.spent > self.limit:
            raise RejectedUpload(
                f"the PDF expands to more than {self.limit // 1024 // 1024} MB when opened, "
                "too much for a consent form"
            )


def _leading_flate_layers(filters: object) -> int:
    """Return how many Flate filters a stream's filter list starts with."""
    names = list(filters) if isinstance(filters, pikepdf.Array) else [filters]
    layers = 0
    for name in names:
        if name not in _FLATE:
            break
        layers += 1
    return layers


def _inflate(pieces: Iterable[bytes], layers: int) -> Iterator[bytes]:
    """Yield the inflated data in pieces of at most a megabyte, through `layers` rounds."""
    for _ in range(layers):
        pieces = _inflate_once(pieces)
    return iter(pieces)


def _inflate_once(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """Yield one round of Flate decoding in pieces of at most a megabyte."""
    decoder = zlib.decompressobj()
    for piece in pieces:
        while piece and not decoder.eof:
            yield decoder.decompress(piece, _INFLATE_CHUNK)
            piece = decoder.unconsumed_tail
        if decoder.eof:
            return
    yield decoder.flush()
