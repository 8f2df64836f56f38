"""`scripts/bench faces`: the face check's hits, false alarms and time per photo on its test set.

The set is the test's (tests/photos/face_set.py): real photos with faces from the matplotlib
and scikit-image wheels, and photos without people (the camera samples, when ../shared is
beside the repo, and scikit-image's). Each photo is timed once in this process, after one
warm-up that loads the cascades, on the upright picture as analysis hands it over.
"""

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.photos.faces import detect_faces  # noqa: E402
from tests.photos.face_set import (  # noqa: E402
    PACKAGED_WITHOUT_PEOPLE,
    WITH_FACES,
    camera_samples,
)


def bench_faces() -> None:
    """Print each photo's boxes, then the hit and false-alarm counts and the time per photo.

    The CPU time is printed too: on a machine shared with other work, it says what the
    check costs better than the time on the clock.
    """
    without_people = [*PACKAGED_WITHOUT_PEOPLE, *camera_samples()]
    detect_faces(WITH_FACES[0].upright())
    times = []
    cpu = []
    hits = 0
    for photo in WITH_FACES:
        boxes, seconds, used = _timed(photo)
        times.append(seconds)
        cpu.append(used)
        found = any(box.contains(photo.face_at) for box in boxes)
        hits += found
        print(f"{photo.name:28} {len(boxes)} box(es), face {'found' if found else 'MISSED'}")
    false_alarms = 0
    for photo in without_people:
        boxes, seconds, used = _timed(photo)
        times.append(seconds)
        cpu.append(used)
        false_alarms += len(boxes)
        print(f"{photo.name:28} {len(boxes)} box(es)")
    print(
        f"faces found: {hits} of {len(WITH_FACES)} photos of someone; "
        f"false alarms: {false_alarms} boxes on {len(without_people)} photos without people; "
        f"time per photo: median {statistics.median(times) * 1000:.0f} ms, "
        f"slowest {max(times) * 1000:.0f} ms (CPU time, all of OpenCV's threads: median "
        f"{statistics.median(cpu) * 1000:.0f} ms)"
    )


def _timed(photo):
    picture = photo.upright()
    started, cpu_started = time.perf_counter(), time.process_time()
    boxes = detect_faces(picture)
    return boxes, time.perf_counter() - started, time.process_time() - cpu_started
