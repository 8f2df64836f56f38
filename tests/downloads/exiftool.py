"""Reading images as partners do: with ExifTool (Debian's libimage-exiftool-perl)."""

import json
import subprocess
from pathlib import Path

EXIFTOOL = "/usr/bin/exiftool"
# Tags that would say which camera took a photo: none may leave the original.
CAMERA_TAGS = ("Make", "Model", "SerialNumber", "BodySerialNumber", "LensModel", "Software")


def _exiftool(*arguments: str) -> str:
    """Return what ExifTool printed, its complaints on stderr included."""
    done = subprocess.run([EXIFTOOL, *arguments], capture_output=True, check=True, text=True)
    return done.stdout + done.stderr


def read_tags(data: bytes, folder: Path) -> dict:
    """Return every tag ExifTool reads in the image, as raw values keyed group:name."""
    path = folder / "read.jpg"
    path.write_bytes(data)
    return json.loads(_exiftool("-j", "-G1", "-a", "-struct", "-n", str(path)))[0]


def warnings_of(data: bytes, folder: Path) -> list[str]:
    """Return every warning ExifTool gives about the image, validating it or listing it."""
    path = folder / "validate.jpg"
    path.write_bytes(data)
    validated = _exiftool("-validate", "-warning", "-error", "-a", "-s", str(path))
    listed = _exiftool("-G1", "-a", "-s", str(path))
    said = validated.splitlines() + [
        line for line in listed.splitlines() if "Warning" in line or "Error" in line
    ]
    return [line for line in said if line.split() != ["Validate", ":", "OK"]]


def camera_or_place(tags: dict) -> list[str]:
    """Return the tags that give away the camera or where the photo was taken."""
    return [
        name
        for name in tags
        if name.startswith(("GPS", "ExifIFD", "Composite:GPS"))
        or name.split(":")[-1] in CAMERA_TAGS
    ]
