"""Benchmarks that print the figures the issues ask for (run through ./scripts/bench).

ingest: N generated photo-like JPEGs of M megapixels through the full pipeline (hash,
EXIF, three derivatives, storage, database) with all workers and with one, next to a
plain Pillow baseline (full decode, then each size resized from the full picture) on the
same files. Each variant runs in its own process so its peak memory is its own.
"""

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from PIL import Image, ImageOps

ROOT = Path(__file__).resolve().parent.parent
SIZES = (2560, 1600, 400)


def main() -> None:
    """Parse the command line and run one benchmark."""
    parser = argparse.ArgumentParser(prog="scripts/bench")
    commands = parser.add_subparsers(dest="command", required=True)
    ingest = commands.add_parser("ingest", help="ingest pipeline against a plain Pillow baseline")
    ingest.add_argument("--n", type=int, default=20, help="number of photos (default 20)")
    ingest.add_argument("--megapixels", type=float, default=24.0, help="size of each (default 24)")
    ingest.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    search_bench = commands.add_parser("search", help="reindex time and query latency")
    search_bench.add_argument("--docs", type=int, default=100_000, help="records (default 100000)")
    search_bench.add_argument("--requests", type=int, default=400, help="HTTP requests to time")
    run = commands.add_parser("_run")  # internal: one variant, in its own process
    run.add_argument("variant")
    run.add_argument("folder", type=Path)
    run.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    if args.command == "ingest":
        bench_ingest(args.n, args.megapixels, args.workers)
    elif args.command == "search":
        sys.path.insert(0, str(ROOT / "scripts"))
        from search_bench import bench_search

        bench_search(args.docs, args.requests)
    else:
        PEAK.start()
        print(json.dumps(VARIANTS[args.variant](args.folder, args.workers)))


def bench_ingest(count: int, megapixels: float, workers: int) -> None:
    """Print images per second and peak memory of the pipeline and of the baseline."""
    from archive.demo.pictures import make_scene, save_photo

    with tempfile.TemporaryDirectory() as folder:
        photos = Path(folder) / "photos"
        photos.mkdir()
        width = int((megapixels * 1_000_000 * 3 / 2) ** 0.5)
        height = int(width * 2 / 3)
        print(f"Generating {count} photo-like JPEGs of {width}×{height} ({megapixels:g} MP)…")
        for index in range(count):
            orientation = 6 if index % 4 == 3 else 1
            save_photo(
                make_scene(width, height, seed=index),
                photos / f"IMG_{index:04d}.jpg",
                orientation=orientation,
                camera=("Canon", "EOS R6"),
            )
        size_mb = sum(p.stat().st_size for p in photos.iterdir()) / count / 1e6
        print(f"Average file {size_mb:.1f} MB; {os.cpu_count()} cores.\n")
        rows = [
            (f"pipeline, {workers} workers", _variant("pipeline", photos, workers)),
            ("pipeline, 1 worker", _variant("pipeline", photos, 1)),
            ("Pillow baseline, 1 process", _variant("baseline", photos, 1)),
        ]
    baseline = rows[-1][1]["images_per_second"]
    print(
        f"{'variant':<30} {'images/s':>9} {'× baseline':>11} {'peak MB':>8} {'peak MB/worker':>15}"
    )
    for name, result in rows:
        print(
            f"{name:<30} {result['images_per_second']:>9.2f} "
            f"{result['images_per_second'] / baseline:>10.2f}× {result['peak_mb']:>8.0f} "
            f"{result['peak_worker_mb']:>15.0f}"
        )
    print("\npeak MB: the main process; peak MB/worker: the largest worker process (VmHWM).")


def _variant(name: str, folder: Path, workers: int) -> dict:
    output = subprocess.run(  # noqa: S603 - runs this very script with fixed arguments
        [sys.executable, __file__, "_run", name, str(folder), "--workers", str(workers)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def run_pipeline(folder: Path, workers: int) -> dict:
    """Import the folder into a fresh archive with the real bulk-import code."""
    from archive import create_app
    from archive.cli import initialise
    from archive.photos.bulk import collect_files, import_files

    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"INSTANCE_PATH": instance, "SECRET_KEY": "bench"})
        with app.app_context():
            initialise()
            files = collect_files([folder])
            started = time.perf_counter()
            records = import_files(files, manifest={}, default_licence=None, workers=workers)
            elapsed = time.perf_counter() - started
    assert all(record.status == "imported" for record in records), records
    return _figures(len(files), elapsed)


def run_baseline(folder: Path, _workers: int) -> dict:
    """Plain Pillow: decode each file in full, then resize each size from the full picture."""
    files = sorted(folder.iterdir())
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        for path in files:
            with Image.open(path) as image:
                upright = ImageOps.exif_transpose(image.convert("RGB"))
            for size in SIZES:
                resized = upright.copy()
                resized.thumbnail((size, size), Image.Resampling.LANCZOS)
                resized.save(Path(out) / f"{path.stem}-{size}.jpg", quality=85)
        elapsed = time.perf_counter() - started
    return _figures(len(files), elapsed)


class PeakMemory(threading.Thread):
    """Track the peak resident memory of this process and, separately, of its largest child.

    Reads VmHWM from /proc: unlike getrusage's maxrss it starts afresh at exec, so a worker
    is not charged with the memory of the process that started it.
    """

    def __init__(self):
        super().__init__(daemon=True)
        self.worker_mb = 0.0

    def run(self) -> None:
        while True:
            for child in multiprocessing.active_children():
                self.worker_mb = max(self.worker_mb, _high_water_mb(child.pid))
            time.sleep(0.05)


def _high_water_mb(pid: int | str = "self") -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0  # the process has just exited
    kilobytes = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))
    return int(kilobytes) / 1024


PEAK = PeakMemory()


def _figures(count: int, elapsed: float) -> dict:
    own = _high_water_mb()
    return {
        "images_per_second": count / elapsed,
        "peak_mb": own,
        "peak_worker_mb": PEAK.worker_mb or own,
    }


VARIANTS = {"pipeline": run_pipeline, "baseline": run_baseline}

if __name__ == "__main__":
    main()
