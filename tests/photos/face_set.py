"""The face check's test set: real, freely licensed photos that load without the network.

Photos with faces ship inside the wheels of matplotlib (Grace Hopper, US Navy, public
domain) and scikit-image (the astronaut Eileen Collins, NASA, public domain; the
cameraman, which scikit-image's licence lists as free to use); each names a point inside
its face, measured by eye, that a box must contain. Photos without anyone in them are the
project's camera samples (../shared/samples/camera, CC BY-SA 4.0) and scikit-image's
coffee, cat and rocket. `scripts/bench faces` reads the same set.
"""

from dataclasses import dataclass
from pathlib import Path

import matplotlib
import skimage
from PIL import Image, ImageOps

from tests.fixtures.app import SAMPLES

SCIKIT_IMAGE = Path(skimage.__file__).parent / "data"


@dataclass(frozen=True)
class SetPhoto:
    """One photo of the set: where it is and, for a photo of someone, a point on the face."""

    name: str
    path: Path
    face_at: tuple[float, float] | None = None

    def upright(self) -> Image.Image:
        """Return the picture as its derivatives show it: EXIF orientation applied, RGB."""
        with Image.open(self.path) as image:
            return ImageOps.exif_transpose(image).convert("RGB")


WITH_FACES = [
    SetPhoto(
        "grace_hopper",
        Path(matplotlib.get_data_path()) / "sample_data" / "grace_hopper.jpg",
        face_at=(0.5, 0.35),
    ),
    SetPhoto("astronaut", SCIKIT_IMAGE / "astronaut.png", face_at=(0.43, 0.22)),
    SetPhoto("camera", SCIKIT_IMAGE / "camera.png", face_at=(0.44, 0.29)),
]

PACKAGED_WITHOUT_PEOPLE = [
    SetPhoto(name, SCIKIT_IMAGE / file)
    for name, file in (
        ("coffee", "coffee.png"),
        ("chelsea", "chelsea.png"),
        ("rocket", "rocket.jpg"),
    )
]


def camera_samples() -> list[SetPhoto]:
    """Return the camera samples (none shows a person); [] when shared/ is not beside the repo."""
    files = [*SAMPLES.glob("*.jpg"), *SAMPLES.glob("orientation/*.jpg"), *SAMPLES.glob("gps/*.jpg")]
    return [
        SetPhoto(str(path.relative_to(SAMPLES)), path)
        for path in sorted(files)
        if path.name != "corrupted.jpg"
    ]
