"""`scripts/bench search`: reindex time and query latency over N synthetic photo records.

The records are written straight into a fresh database (the bench measures the index,
not ingest), then indexed by the real `reindex`, compared with the database as `check`
compares them, queried in-process through the real search service, and over HTTP
against the app served by gunicorn with two workers.
"""

import hashlib
import random
import statistics
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import date, datetime, timedelta

from bench_http import load, served_by_gunicorn, signed_in_cookie
from hosts_bench import bench_hosts
from sqlalchemy import insert, select

# HTTP clients at once, as a handful of comms staff searching.
CONNECTIONS = 4
# Photos in the archive the cross-host figure is measured on: it times one change at a time.
HOSTS_RECORDS = 5000
COMMS_EMAIL, COMMS_PASSWORD = "comms@example.org", "bench-comms-password"
WORDS = [
    "technician",
    "apprentice",
    "laboratory",
    "workshop",
    "welding",
    "lathe",
    "glass",
    "microscope",
    "spectrometer",
    "cleanroom",
    "calibration",
    "sample",
    "freezer",
    "printer",
    "prototype",
    "sensor",
    "cryostat",
    "nitrogen",
    "brass",
    "steel",
    "server",
    "cluster",
    "teaching",
    "bench",
    "experiment",
    "field",
    "coast",
    "harpsichord",
    "etching",
    "press",
    "students",
    "training",
    "safety",
    "maintenance",
    "repair",
    "instrument",
    "vacuum",
    "laser",
    "optics",
    "electronics",
]
QUERIES = [
    ("word", "technician"),
    ("two words", "apprentice welding"),
    ("phrase", '"mass spectrometer"'),
    ("role filter", 'role:"laboratory technician"'),
    ("year", "year:2021"),
    ("year range", "year:[2019 TO 2022]"),
    ("words and field", "microscope department:chemistry"),
    ("everything", ""),
]


def bench_search(docs: int, seconds: float) -> None:
    """Print reindex time and p50/p95 query latency, in-process and over HTTP."""
    from archive import create_app
    from archive.auth.models import Role
    from archive.auth.services import create_user
    from archive.operations.initialise import initialise
    from archive.search.consistency import stale_documents
    from archive.search.index import reindex

    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"INSTANCE_PATH": instance})
        with app.app_context():
            initialise()
            create_user(COMMS_EMAIL, COMMS_PASSWORD, Role.COMMS)
            started = time.perf_counter()
            _fill(docs)
            print(f"Wrote {docs} synthetic photo records in {time.perf_counter() - started:.1f} s.")
            started = time.perf_counter()
            indexed = reindex()
            reindex_seconds = time.perf_counter() - started
            started = time.perf_counter()
            stale = len(stale_documents())
            check_seconds = time.perf_counter() - started
            in_process = _in_process()
        http = _over_http(instance, seconds)
    rate = indexed / reindex_seconds
    print(f"\nreindex of {indexed} photos: {reindex_seconds:.1f} s ({rate:.0f}/s)")
    print(f"check: index fingerprints at {indexed} photos: {check_seconds:.1f} s ({stale} stale)")
    first = in_process.pop("first after a change")[0] * 1000
    print(f"first query after an index change (opens the searcher, builds masks): {first:.0f} ms")
    print(f"\n{'query (all roles)':<22} {'p50 ms':>8} {'p95 ms':>8}")
    for name, timings in in_process.items():
        print(f"{name:<22} {_p(timings, 50):>8.1f} {_p(timings, 95):>8.1f}")
    everything = [t for timings in in_process.values() for t in timings]
    print(f"{'in-process, all':<22} {_p(everything, 50):>8.1f} {_p(everything, 95):>8.1f}")
    print(f"\nHTTP /api/search, gunicorn 2 workers, wrk {CONNECTIONS} connections, {seconds:g} s")
    for name, figures in http.items():
        print(
            f"{name:<22} {figures['p50_ms']:>8.1f} {figures['p95_ms']:>8.1f}"
            f"   ({figures['requests']} requests, {figures['errors']} errors)"
        )
    bench_hosts(min(docs, HOSTS_RECORDS), _p)


def _p(timings: list[float], percent: int) -> float:
    return statistics.quantiles(timings, n=100)[percent - 1] * 1000 if len(timings) > 1 else 0.0


def _fill(count: int) -> None:
    """Write people with consents, and photos with people, tags and derivatives."""
    from archive.consent.models import ConsentForm
    from archive.extensions import db
    from archive.licences.models import Licence
    from archive.people.models import Person, Term
    from archive.photos.models import Derivative, Photo, photo_people, photo_tags

    rng = random.Random(7)  # noqa: S311 - repeatable synthetic data, not security
    terms = db.session.execute(select(Term.id)).scalars().all()
    licences = db.session.execute(select(Licence.id)).scalars().all()
    people = []
    for index in range(300):
        people.append(
            {
                "id": index + 1,
                "name": f"Person {index}",
                "email": "",
                "job_role_id": rng.choice(terms),
                "department_id": rng.choice(terms),
            }
        )
    db.session.execute(insert(Person), people)
    scopes = ["internal", "exhibition,internal", "exhibition,internal,press,web", "internal,web"]
    db.session.execute(
        insert(ConsentForm),
        [
            {
                "person_id": p["id"],
                "storage_key": f"consent/{p['id']}.pdf",
                "sha256": _sha(f"c{p['id']}"),
                "size_bytes": 1,
                "content_type": "application/pdf",
                "original_filename": "",
                "signed_on": date(2024, 1, 1),
                "expires_on": date.today() + timedelta(days=rng.randint(-30, 900)),
                "scope_codes": rng.choice(scopes),
                "withdrawal_reason": "",
                "source": "upload",
            }
            for p in people
        ],
    )
    for start in range(0, count, 5000):
        photos, derivatives, shown, tags = [], [], [], []
        for photo_id in range(start + 1, min(count, start + 5000) + 1):
            words = rng.sample(WORDS, 6)
            photos.append(
                {
                    "id": photo_id,
                    "sha256": _sha(f"p{photo_id}"),
                    "storage_key": f"originals/{photo_id}.jpg",
                    "size_bytes": 1,
                    "content_type": "image/jpeg",
                    "original_filename": "IMG.JPG",
                    "format": "JPEG",
                    "width": 6000,
                    "height": 4000,
                    "taken_at": datetime(
                        2015 + photo_id % 11, 1 + photo_id % 12, 1 + photo_id % 28
                    ),
                    "camera_make": "",
                    "camera_model": "",
                    "lens": "",
                    "orientation": 1,
                    "title": " ".join(words[:3]).capitalize(),
                    "caption": f"A {words[0]} at work with the {words[3]} and the {words[4]} "
                    f"in the {words[5]} lab.",
                    "alt_text": f"A {words[0]} with a {words[1]}",
                    "photographer": "Bench",
                    "licence_id": rng.choice(licences),
                    "no_identifiable_people": photo_id % 5 == 0,
                    "status": "approved" if photo_id % 10 else "pending",
                    "review_note": "",
                }
            )
            for kind, edge in (("thumb", 400), ("display", 1600), ("large", 2560)):
                derivatives.append(
                    {
                        "photo_id": photo_id,
                        "kind": kind,
                        "width": edge,
                        "height": edge * 2 // 3,
                        "storage_key": f"derivatives/{photo_id}-{kind}.jpg",
                        "sha256": _sha(f"d{photo_id}{kind}"),
                        "size_bytes": 1,
                        "content_type": "image/jpeg",
                        "original_filename": "",
                    }
                )
            if photo_id % 5:
                for person in rng.sample(people, rng.choice((1, 1, 2))):
                    shown.append({"photo_id": photo_id, "person_id": person["id"]})
            for term in rng.sample(terms, 2):
                tags.append({"photo_id": photo_id, "term_id": term})
        db.session.execute(insert(Photo), photos)
        db.session.execute(insert(Derivative), derivatives)
        db.session.execute(insert(photo_people), shown)
        db.session.execute(insert(photo_tags), tags)
        db.session.commit()


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _in_process() -> dict[str, list[float]]:
    from archive.auth.models import Role
    from archive.search.query import SearchRequest, search

    timings: dict[str, list[float]] = {name: [] for name, _ in QUERIES}
    started = time.perf_counter()
    search(SearchRequest("technician"), Role.COMMS)
    timings["first after a change"] = [time.perf_counter() - started]
    for _ in range(2):  # the searcher and its facet masks are now warm, as in a running server
        search(SearchRequest("technician"), Role.COMMS)
    for _ in range(10):
        for role in (None, Role.COMMS, Role.CURATOR):
            for name, text in QUERIES:
                started = time.perf_counter()
                search(SearchRequest(text), role)
                timings[name].append(time.perf_counter() - started)
    return timings


def _over_http(instance: str, seconds: float) -> dict[str, dict]:
    """Load /api/search with the query mix at 4 connections, once both workers are warm.

    As a visitor, repeated searches come from the page cache; signed in as comms staff,
    every one is worked out afresh.
    """
    paths = ["/api/search?" + urllib.parse.urlencode({"q": text}) for _, text in QUERIES]
    with served_by_gunicorn(instance, workers=2) as base:
        comms = signed_in_cookie(base, COMMS_EMAIL, COMMS_PASSWORD)
        figures = {}
        for name, cookie in (("visitor", ""), ("comms, signed in", comms)):
            load(base, paths, CONNECTIONS, min(seconds, 3), cookie)  # each worker warms up
            figures[name] = load(base, paths, CONNECTIONS, seconds, cookie)
        return figures
