"""`scripts/bench web`: what visitors' pages cost under load, next to a trivial route.

A fresh archive gets 60 photos through the real ingest pipeline and a published
60-item public exhibition; the app is served by gunicorn with 2 workers on 127.0.0.1
and loaded by wrk at 16 connections, one route at a time, as a visitor (not signed in).
"""

import statistics
import tempfile
import urllib.request
from pathlib import Path

from bench_http import load, served_by_gunicorn

ITEMS = 60
ROUNDS = 3
SCENES = [
    ("Calibrating the spectrometer", "A laboratory technician calibrates the spectrometer."),
    ("Welding a frame", "An apprentice technician welds a steel frame in the workshop."),
    ("Glassblowing", "The glassblower shapes a condenser for the chemistry teaching lab."),
    ("Cleanroom", "A technician checks the wafers in the cleanroom."),
    ("Field kit", "Instruments laid out before a coastal survey."),
]


def bench_web(seconds: float, connections: int) -> None:
    """Print requests per second and p50/p95 latency for each route, and the ratios."""
    with tempfile.TemporaryDirectory() as instance:
        slug, thumb = _archive_with_a_gallery(instance)
        routes = {
            "baseline (/livez)": "/livez",
            f"gallery ({ITEMS} items)": f"/exhibitions/{slug}",
            "search (/api/search)": "/api/search?q=technician",
            "thumbnail": f"/exhibitions/{slug}/media/{thumb}.jpg",
        }
        with served_by_gunicorn(instance, workers=2) as base:
            for path in routes.values():
                with urllib.request.urlopen(base + path) as response:  # noqa: S310
                    assert response.status == 200, (path, response.status)
                load(base, [path], connections, min(seconds, 2))  # both workers warm
            # The routes take turns, a round at a time, so that a drift in the machine's
            # speed over the run weighs on each alike; each figure is the median round.
            rounds: dict[str, list[dict]] = {name: [] for name in routes}
            for _ in range(ROUNDS):
                for name, path in routes.items():
                    rounds[name].append(load(base, [path], connections, seconds / ROUNDS))
    results = {name: _median(runs) for name, runs in rounds.items()}
    baseline = results["baseline (/livez)"]["requests_per_second"]
    print(
        f"\ngunicorn 2 workers, wrk 1 thread, {connections} connections, {seconds:g} s per route"
        f" in {ROUNDS} rounds (medians)\n"
    )
    print(
        f"{'route':<24} {'req/s':>8} {'× baseline':>11} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}"
    )
    for name, result in results.items():
        rate = result["requests_per_second"]
        print(
            f"{name:<24} {rate:>8.0f} {rate / baseline:>10.0%} {result['p50_ms']:>8.1f} "
            f"{result['p95_ms']:>8.1f} {result['errors']:>7}"
        )


def _median(runs: list[dict]) -> dict:
    figures = ("requests_per_second", "p50_ms", "p95_ms")
    return {key: statistics.median(run[key] for run in runs) for key in figures} | {
        "errors": sum(run["errors"] for run in runs)
    }


def _archive_with_a_gallery(instance: str) -> tuple[str, str]:
    """Fill a fresh archive; return the gallery's slug and one of its thumbnails' hash."""
    from archive import create_app
    from archive.auth.models import Role
    from archive.auth.services import create_user
    from archive.demo.pictures import make_scene, save_photo
    from archive.exhibitions.models import Visibility
    from archive.exhibitions.services import add_photos, create_exhibition, publish
    from archive.licences.services import licence_by_code
    from archive.operations.initialise import initialise
    from archive.photos.ingest import PhotoDetails, ingest_file
    from archive.photos.services import approve

    app = create_app({"INSTANCE_PATH": instance})
    with app.app_context():
        initialise()
        curator = create_user("curator@example.org", "bench-curator-password", Role.CURATOR)
        licence = licence_by_code("CC-BY-4.0")
        photos = []
        for index in range(ITEMS):
            title, caption = SCENES[index % len(SCENES)]
            path = save_photo(make_scene(1800, 1200, seed=index), Path(instance) / f"{index}.jpg")
            photo = ingest_file(
                path,
                PhotoDetails(
                    title=f"{title} {index + 1}",
                    caption=caption,
                    alt_text=caption,
                    photographer="Technical Services",
                    licence_id=licence.id,
                    no_identifiable_people=True,
                ),
                original_filename=path.name,
                uploaded_by=curator,
            ).photo
            approve(photo, curator, tag_ids=[], licence_id=licence.id)
            photos.append(photo)
        exhibition = create_exhibition(
            title="Technicians at work",
            summary="Sixty photographs from the technician photography project.",
            body="Every photograph here is shown with the consent of the people in it.",
            visibility=Visibility.PUBLIC,
            by=curator,
        )
        add_photos(exhibition, [photo.id for photo in photos])
        publish(exhibition)
        return exhibition.slug, photos[0].derivative("thumb").sha256
