"""A rectangle on a photo: where a face was found, or a part a curator has blurred.

Boxes are fractions of the upright picture's width and height, so one box fits the
original and every derivative alike, whatever their size. Nothing here touches the
database, the storage or Flask: bulk import's worker processes use it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Box:
    """left and top of the corner nearest the origin, width and height; each from 0 to 1."""

    left: float
    top: float
    width: float
    height: float

    def __post_init__(self):
        if not (0 <= self.left < 1 and 0 <= self.top < 1 and self.width > 0 and self.height > 0):
            raise ValueError(f"not a box on the picture: {self}")
        if self.left + self.width > 1 + 1e-9 or self.top + self.height > 1 + 1e-9:
            raise ValueError(f"the box reaches past the picture's edge: {self}")

    @classmethod
    def from_pixels(cls, left: int, top: int, width: int, height: int, size: tuple[int, int]):
        """Return the box of a pixel rectangle on a picture of `size` (width, height)."""
        across, down = size
        return cls(left / across, top / down, width / across, height / down)

    def in_pixels(self, size: tuple[int, int]) -> tuple[int, int, int, int]:
        """Return (left, top, right, bottom) on a picture of `size`, at least one pixel wide."""
        picture_width, picture_height = size
        left, top = int(self.left * picture_width), int(self.top * picture_height)
        right = max(left + 1, round((self.left + self.width) * picture_width))
        bottom = max(top + 1, round((self.top + self.height) * picture_height))
        return left, top, min(right, picture_width), min(bottom, picture_height)

    def grown(self, share: float) -> "Box":
        """Return the box grown by this share of its size on each side, kept on the picture."""
        left = max(0.0, self.left - self.width * share)
        top = max(0.0, self.top - self.height * share)
        right = min(1.0, self.left + self.width * (1 + share))
        bottom = min(1.0, self.top + self.height * (1 + share))
        return Box(left, top, right - left, bottom - top)

    @property
    def centre(self) -> tuple[float, float]:
        """Return the middle of the box, as fractions of the picture."""
        return self.left + self.width / 2, self.top + self.height / 2

    def contains(self, point: tuple[float, float]) -> bool:
        """Return whether the point (fractions of the picture) lies inside the box."""
        x, y = point
        return self.left <= x <= self.left + self.width and self.top <= y <= self.top + self.height
