"""A folder of files like those real devices write, each with what must become of it.

Phones write JPEGs with a multi-picture (MPF) segment, print workflows CMYK JPEGs,
scanners 16-bit PNG and multi-page TIFF, and the web animated WebP; broken files turn
up beside them. Each accepted file carries a check of its derivative's pixels, so a
picture that comes out inverted, black, white or on its side fails.
"""

import io
import itertools
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image

RED, GREEN, BLUE, WHITE = (220, 30, 30), (30, 180, 60), (30, 60, 220), (255, 255, 255)


@dataclass(frozen=True)
class DeviceFile:
    """A file to import, and how its display derivative must look (None: refused)."""

    name: str
    content: bytes
    looks_right: Callable[[Image.Image], None] | None


def _saved(image: Image.Image, image_format: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def split_picture(left, right, size=(640, 480), mode="RGB") -> Image.Image:
    """Return a picture whose left half is one colour and right half another."""
    image = Image.new(mode, size, left)
    image.paste(right, (size[0] // 2, 0, size[0], size[1]))
    return image


def near(pixel, colour, tolerance=40) -> bool:
    """Return whether an RGB pixel is within tolerance of a colour on every channel."""
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


def gradient_levels(image: Image.Image) -> list[int]:
    """Return the grey levels at nine points along the picture's middle row."""
    grey = image.convert("L")
    return [grey.getpixel((x * (grey.width - 1) // 8, grey.height // 2)) for x in range(9)]


def is_gradient(image: Image.Image) -> bool:
    """Return whether the picture rises steadily from dark on the left to light on the right."""
    levels = gradient_levels(image)
    steps = [b - a for a, b in itertools.pairwise(levels)]
    # Clipped to white (or black), most steps would be flat: every step must climb, evenly.
    middle = levels[len(levels) // 2]
    return (
        all(step > 5 for step in steps)
        and levels[0] < 60
        and levels[-1] > 190
        and (80 < middle < 180)
    )


def _left_and_right(left, right) -> Callable[[Image.Image], None]:
    def check(image: Image.Image) -> None:
        w, h = image.size
        assert w > h, f"a landscape picture came out {w}×{h}"
        assert near(image.getpixel((w // 4, h // 2)), left), image.getpixel((w // 4, h // 2))
        assert near(image.getpixel((3 * w // 4, h // 2)), right), image.getpixel(
            (3 * w // 4, h // 2)
        )

    return check


def _all(colour) -> Callable[[Image.Image], None]:
    def check(image: Image.Image) -> None:
        w, h = image.size
        for point in ((w // 4, h // 4), (w // 2, h // 2), (3 * w // 4, 3 * h // 4)):
            assert near(image.getpixel(point), colour), (point, image.getpixel(point))

    return check


def _ordinary() -> DeviceFile:
    return DeviceFile(
        "IMG_0001.jpg", _saved(split_picture(RED, BLUE), "JPEG"), _left_and_right(RED, BLUE)
    )


def _turned_by_exif() -> DeviceFile:
    """A phone held upright: the sensor's landscape pixels, EXIF orientation 6 (turn 90° CW)."""
    exif = Image.Exif()
    exif[0x0112] = 6
    content = _saved(split_picture(RED, BLUE), "JPEG", exif=exif.tobytes())

    def check(image: Image.Image) -> None:
        w, h = image.size
        assert h > w, f"the upright picture must be portrait, came out {w}×{h}"
        # Turned clockwise, the sensor's left (red) half becomes the top.
        assert near(image.getpixel((w // 2, h // 4)), RED)
        assert near(image.getpixel((w // 2, 3 * h // 4)), BLUE)

    return DeviceFile("IMG_0002_upright.jpg", content, check)


def _mpo() -> DeviceFile:
    """A JPEG with an MPF segment and a second frame, as phones write for gain maps."""
    primary, second = split_picture(RED, BLUE), Image.new("RGB", (640, 480), GREEN)
    content = _saved(primary, "MPO", save_all=True, append_images=[second])
    assert content.count(b"MPF\x00") == 1, "Pillow must write an MPF segment"
    return DeviceFile("PXL_0003.MP.jpg", content, _left_and_right(RED, BLUE))


def _segments_after_picture() -> list[DeviceFile]:
    """JPEGs with a broken segment between the picture data and the end of the file.

    A metadata segment whose length runs past the end of the file loses only metadata:
    the picture decodes completely and is kept. A frame header too short to say how many
    components it has makes libjpeg itself give up: refused, with a reason.
    """
    content = _saved(split_picture(RED, BLUE), "JPEG")
    assert content.endswith(b"\xff\xd9")
    cut_metadata = content[:-2] + b"\xff\xe1\x40\x00" + b"Exif\x00\x00 cut short"
    # SOF0 declaring 3 bytes of body, then the end of the picture.
    short_frame = content[:-2] + b"\xff\xc0\x00\x05\x08\x00\x10" + b"\xff\xd9"
    return [
        DeviceFile("DSC_0004_cut_metadata.jpg", cut_metadata, _left_and_right(RED, BLUE)),
        DeviceFile("DSC_0005_broken_frame_after_picture.jpg", short_frame, None),
    ]


def _cut_short() -> bytes:
    content = _saved(Image.effect_noise((640, 480), 60).convert("RGB"), "JPEG")
    return content[: len(content) // 2]


def _cmyk() -> DeviceFile:
    """A CMYK JPEG from a print workflow (Pillow writes Adobe's inverted CMYK marker)."""
    cyan_free_red = (0, 230, 230, 0)  # no cyan, full magenta and yellow: red
    content = _saved(Image.new("CMYK", (640, 480), cyan_free_red), "JPEG")
    return DeviceFile("print_0005_cmyk.jpg", content, _all((255, 25, 25)))


def _png_16_bit() -> DeviceFile:
    """A 16-bit greyscale scan: a gradient from black on the left to white on the right."""
    width, height = 512, 256
    row = b"".join((x * 65535 // (width - 1)).to_bytes(2, "little") for x in range(width))
    wide = Image.frombytes("I;16", (width, height), row * height)
    content = _saved(wide, "PNG")
    assert Image.open(io.BytesIO(content)).mode.startswith("I"), "the PNG must be 16-bit"

    def check(image: Image.Image) -> None:
        assert is_gradient(image), gradient_levels(image)

    return DeviceFile("scan_0006_16bit.png", content, check)


def _transparent_png() -> DeviceFile:
    """A logo-like PNG: a blue square on a transparent background."""
    image = Image.new("RGBA", (400, 300), (0, 0, 0, 0))
    image.paste((*BLUE, 255), (150, 100, 250, 200))

    def check(image: Image.Image) -> None:
        w, h = image.size
        assert near(image.getpixel((5, 5)), WHITE), "transparency must be flattened on white"
        assert near(image.getpixel((w // 2, h // 2)), BLUE)

    return DeviceFile("logo_0007_transparent.png", _saved(image, "PNG"), check)


def _multi_page_tiff() -> DeviceFile:
    pages = [Image.new("RGB", (600, 400), colour) for colour in (GREEN, BLUE, RED)]
    content = _saved(pages[0], "TIFF", save_all=True, append_images=pages[1:])
    return DeviceFile("scan_0008_three_pages.tif", content, _all(GREEN))


def _animated_webp() -> DeviceFile:
    frames = [Image.new("RGB", (500, 300), colour) for colour in (RED, BLUE, GREEN)]
    content = _saved(frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=100)
    return DeviceFile("clip_0009_animated.webp", content, _all(RED))


def device_files() -> list[DeviceFile]:
    """Return the folder's files: ordinary photos among what real devices write."""
    cut = _cut_short()
    return [
        _ordinary(),
        _turned_by_exif(),
        _mpo(),
        *_segments_after_picture(),
        DeviceFile("IMG_0010_cut.jpg", cut, None),
        DeviceFile("IMG_0010_cut copy.jpg", cut, None),
        _cmyk(),
        _png_16_bit(),
        _transparent_png(),
        _multi_page_tiff(),
        _animated_webp(),
    ]
