"""Benchmarks that print the figures the issues ask for (run through ./scripts/bench).

ingest: N generated photo-like JPEGs of M megapixels through the full pipeline (hash,
EXIF, three derivatives, storage, database, index) with all workers and with one, next
to a plain Pillow baseline (full decode, then each size resized from the full picture)
on the same files; then the same folder imported again, which must skip every file.
With --compare, libvips' thumbnailer (pyvips) makes the same three sizes too: in as
many processes as the pipeline has workers, and in one process with libvips' own
threads. Each variant runs in its own process so its peak memory is its own.
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
from concurrent.futures import ProcessPoolExecutor
from itertools import repeat
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
    ingest.add_argument("--compare", action="store_true", help="also time libvips (pyvips)")
    search_bench = commands.add_parser("search", help="reindex time and query latency")
    search_bench.add_argument("--docs", type=int, default=100_000, help="records (default 100000)")
    search_bench.add_argument("--seconds", type=float, default=10, help="HTTP load per run")
    web = commands.add_parser("web", help="visitors' pages under load, next to a trivial route")
    web.add_argument("--seconds", type=float, default=12, help="load per route (default 12)")
    web.add_argument("--connections", type=int, default=16)
    commands.add_parser("faces", help="the face check's hits, false alarms and time per photo")
    run = commands.add_parser("_run")  # internal: one variant, in its own process
    run.add_argument("variant")
    run.add_argument("folder", type=Path)
    run.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    if args.command == "ingest":
        bench_ingest(args.n, args.megapixels, args.workers, args.compare)
    elif args.command == "search":
        from search_bench import bench_search

        bench_search(args.docs, args.seconds)
    elif args.command == "web":
        from web_bench import bench_web

        bench_web(args.seconds, args.connections)
    elif args.command == "faces":
        from faces_bench import bench_faces

        bench_faces()
    else:
        PEAK.start()
        print(json.dumps(VARIANTS[args.variant](args.folder, args.workers)))


def bench_ingest(count: int, megapixels: float, workers: int, compare: bool) -> None:
    """Print images per second and peak memory of the pipeline and of the alternatives."""
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
        rows = {
            f"pipeline, {workers} workers": _variant("pipeline", photos, workers),
            "pipeline, 1 worker": _variant("pipeline", photos, 1),
            "Pillow baseline, 1 process": _variant("baseline", photos, 1),
        }
        if compare:
            rows[f"libvips, {workers} processes"] = _variant("libvips", photos, workers)
            rows["libvips, 1 process, own threads"] = _variant("libvips", photos, 1)
        rows[f"pipeline, second run, {workers} workers"] = _variant("rerun", photos, workers)
    baseline = rows["Pillow baseline, 1 process"]["images_per_second"]
    libvips = max(
        (result["images_per_second"] for name, result in rows.items() if "libvips" in name),
        default=None,
    )
    print(
        f"{'variant':<34} {'images/s':>9} {'× baseline':>11}"
        + (f" {'× libvips':>10}" if libvips else "")
        + f" {'peak MB':>8} {'peak MB/worker':>15}"
    )
    for name, result in rows.items():
        rate = result["images_per_second"]
        print(
            f"{name:<34} {rate:>9.2f} {rate / baseline:>10.2f}×"
            + (f" {rate / libvips:>9.2f}×" if libvips else "")
            + f" {result['peak_mb']:>8.0f} {result['peak_worker_mb']:>15.0f}"
        )
    print(
        "\npeak MB: the main process; peak MB/worker: the largest worker process (VmHWM)."
        + ("\n× libvips: against the faster of the two libvips variants." if libvips else "")
        + "\nThe second run imports the same folder into the same archive: all skipped."
    )


def _variant(name: str, folder: Path, workers: int) -> dict:
    output = subprocess.run(  # noqa: S603 - runs this very script with fixed arguments
        [sys.executable, __file__, "_run", name, str(folder), "--workers", str(workers)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def run_pipeline(folder: Path, workers: int, *, rounds: int = 1) -> dict:
    """Import the folder into a fresh archive with the real bulk-import code; time the last."""
    from archive import create_app
    from archive.operations.initialise import initialise
    from archive.photos.bulk import collect_files, import_files

    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"INSTANCE_PATH": instance, "SECRET_KEY": "bench"})
        with app.app_context():
            initialise()
            files = collect_files([folder])
            for _ in range(rounds):
                started = time.perf_counter()
                records = import_files(files, manifest={}, default_licence=None, workers=workers)
                elapsed = time.perf_counter() - started
    expected = "imported" if rounds == 1 else "duplicate"
    assert all(record.status == expected for record in records), records
    return _figures(len(files), elapsed)


def run_rerun(folder: Path, workers: int) -> dict:
    """Import the folder twice; time the second run, which finds every file already there."""
    return run_pipeline(folder, workers, rounds=2)


def run_libvips(folder: Path, workers: int) -> dict:
    """libvips' thumbnailer, each size from the file (its shrink-on-load), in `workers` processes.

    One process is left to libvips' own threads; several each get one thread, as the
    pipeline's workers do.
    """
    files = sorted(folder.iterdir())
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        if workers == 1:
            for path in files:
                _libvips_sizes(path, out)
        else:
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(workers, mp_context=context, initializer=_one_thread) as pool:
                list(pool.map(_libvips_sizes, files, repeat(out)))
        elapsed = time.perf_counter() - started
    return _figures(len(files), elapsed)


def _one_thread() -> None:
    import pyvips

    pyvips.concurrency_set(1)


def _libvips_sizes(path: Path, out: str) -> None:
    import pyvips

    for size in SIZES:
        # thumbnail() turns the picture upright by its EXIF; keep="none" drops the metadata.
        # No export_profile: like the pipeline, it then converts only pictures that carry
        # a colour profile (these carry none); asking for sRGB always made it 4× slower.
        picture = pyvips.Image.thumbnail(str(path), size)
        picture.write_to_file(f"{out}/{path.stem}-{size}.jpg", Q=85, keep="none")


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


VARIANTS = {
    "pipeline": run_pipeline,
    "rerun": run_rerun,
    "baseline": run_baseline,
    "libvips": run_libvips,
}

if __name__ == "__main__":
    main()
