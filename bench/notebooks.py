"""Peak memory and wall time of every notebook, run top to bottom in a fresh kernel (prints; asserts nothing).

    .venv/bin/python bench/notebooks.py [00 01 ...] [--fast] [--json FILE]

Each notebook runs with nbclient in a kernel of its own, in ``notebooks/`` (as a student runs it; without
``--fast`` the training notebooks use their full epochs, with ``--fast`` the test command's ``COURSE_FAST=1``).
While it runs, the resident memory (RSS) of the kernel and everything it started is sampled every 50 ms; the
peak is printed beside the Binder budget of 1 GB (Binder gives a student 1-2 GB, and JupyterLab itself needs
about 0.15 GB of that), next to its anonymous part (RSS less the pages of files, which are clean and which the
system reclaims when memory runs short).

The kernel hands TensorFlow's start-up pages back after its import cell (``course_utils._memory``), but Linux
pages out only pages that no other process maps. Run this with no other TensorFlow program on the machine
(another notebook's kernel, a test run): otherwise those library pages stay resident and the RSS column of
notebooks 04-06 reads up to 0.4 GB higher (the anonymous column does not change).

With ``--cold`` the notebooks use an empty data folder (``COURSE_DATA_DIR`` in a temporary directory), as on
a student's first run: recordings are fetched again (from ``COURSE_DATA_MIRROR`` when it is set) and every
feature set is computed instead of read from the cache.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
BUDGET_GB = 1.0


class PeakMemory:
    """Samples the summed RSS of this process's descendants (the kernel and its children) in a thread.

    Two peaks: the whole RSS, and its anonymous part (RSS less the resident pages of files, shared
    libraries above all), which only the program itself can give back; the file pages are clean and the
    system reclaims them under pressure.
    """

    def __init__(self, interval: float = 0.05):
        self.interval, self.peak, self.peak_anonymous, self._stop = interval, 0, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        me = psutil.Process()
        while not self._stop.is_set():
            total = anonymous = 0
            for child in me.children(recursive=True):
                try:
                    info = child.memory_info()
                except psutil.Error:  # ended between the listing and the reading
                    continue
                total += info.rss
                anonymous += info.rss - getattr(info, "shared", 0)  # Linux: "shared" is the file-backed RSS
            self.peak, self.peak_anonymous = max(self.peak, total), max(self.peak_anonymous, anonymous)
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def other_tensorflow_processes() -> list[int]:
    """Process ids of programs (other than this one) that have TensorFlow's library mapped (Linux)."""
    found = []
    for process in psutil.process_iter(["pid"]):
        if process.pid == os.getpid():
            continue
        try:
            with open(f"/proc/{process.pid}/maps") as maps:
                if "libtensorflow" in maps.read():
                    found.append(process.pid)
        except OSError:
            continue
    return found


def run(path: Path, timeout: float) -> dict:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    start = time.perf_counter()
    error = None
    with PeakMemory() as memory:
        try:
            client.execute(stderr=subprocess.DEVNULL)  # the kernel's start-up chatter; errors come as cell errors
        except Exception as exc:  # noqa: BLE001 - reported in the table, the next notebook still runs
            error = f"{type(exc).__name__}: {str(exc).strip().splitlines()[-1] if str(exc).strip() else ''}"[:200]
    return {"notebook": path.name, "seconds": time.perf_counter() - start, "peak_gb": memory.peak / 1e9,
            "peak_anonymous_gb": memory.peak_anonymous / 1e9, "error": error}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="numbers or names (default: all)")
    parser.add_argument("--fast", action="store_true", help="COURSE_FAST=1, as the test command runs them")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per cell (default 3600)")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--cold", action="store_true", help="an empty data folder: nothing cached (a first run)")
    args = parser.parse_args()
    cold_dir = None
    if args.cold:
        cold_dir = tempfile.TemporaryDirectory(prefix="course-cold-")
        os.environ["COURSE_DATA_DIR"] = cold_dir.name
    if args.fast:
        os.environ["COURSE_FAST"] = "1"
    else:
        os.environ.pop("COURSE_FAST", None)
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if args.notebooks:
        paths = [p for p in paths if any(p.name.startswith(n) for n in args.notebooks)]
    print(f"mode: {'fast (COURSE_FAST=1)' if args.fast else 'full, as a student runs it'}"
          f"{', cold (nothing cached)' if args.cold else ''}; cores: {os.cpu_count()}; "
          f"load average at the start: {tuple(round(x, 2) for x in os.getloadavg())}", flush=True)
    others = other_tensorflow_processes()
    if others:
        print(f"note: {len(others)} other process(es) have TensorFlow mapped (pids {others[:5]}): the RSS of "
              "notebooks 04-06 will include library pages that they share (see the docstring)", flush=True)
    print(f"{'notebook':<42} {'wall (s)':>9} {'peak RSS (GB)':>14} {'anonymous (GB)':>15}  flags", flush=True)
    results = []
    for path in paths:
        result = run(path, args.timeout)
        results.append(result)
        flags = []
        if result["peak_gb"] > BUDGET_GB:
            flags.append(f"over {BUDGET_GB:.0f} GB")
        if result["error"]:
            flags.append("FAILED: " + result["error"])
        print(f"{result['notebook']:<42} {result['seconds']:9.0f} {result['peak_gb']:14.2f} {result['peak_anonymous_gb']:15.2f}  "
              + ("<-- " + "; ".join(flags) if flags else ""), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps({"fast": args.fast, "cold": args.cold, "results": results}, indent=1))
    if cold_dir is not None:
        cold_dir.cleanup()


if __name__ == "__main__":
    sys.exit(main())
