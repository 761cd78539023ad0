"""Latency of every control of every registered explorer (prints figures; asserts nothing).

    make bench                       # or: .venv/bin/python bench/widgets.py [explorer ...] [--rounds N]
    .venv/bin/python bench/widgets.py --encoders      # PNG encoders compared on every explorer's picture

Each control is moved through its range (``sweep_values``) up and back down ``--rounds`` times
(``course_utils.widgets.time_controls``). Two figures per control: the wall time from setting
``.value`` until the new PNG is ready (what a student waits), and this process's CPU time for the same
work, which depends less on other programs running on a shared machine. The kernel's budget is <= 40 ms
median and <= 100 ms at the 95th percentile of the wall time (what the browser adds on top is measured by
``bench/browser.py``). Buttons are not timed: slow work belongs on
them by design. The load average is printed for context.
"""

from __future__ import annotations

import argparse
import io
import os
import time

os.environ.setdefault("NO_ALBUMENTATIONS_UPDATE", "1")

import numpy as np  # noqa: E402

from course_utils.notebook import setup_notebook  # noqa: E402
from course_utils.png import opencv_png_bytes, pillow_png_bytes, png_bytes  # noqa: E402
from course_utils.widgets import EXPLORERS, time_controls  # noqa: E402

BUDGET_MEDIAN_MS, BUDGET_P95_MS = 40.0, 100.0


def report(name: str, rounds: int, max_values: int) -> list[str]:
    """Print one explorer's figures; return the controls over budget."""
    start = time.perf_counter()
    explorer = EXPLORERS[name]()
    print(f"\n{name}: built in {(time.perf_counter() - start) * 1000:.0f} ms")
    over = []
    for control, result in time_controls(explorer, rounds=rounds, max_values=max_values).items():
        wall, cpu = result["wall_ms"], result["cpu_ms"]
        if not wall:
            continue
        median, p95 = float(np.median(wall)), float(np.percentile(wall, 95))
        flag = "" if median <= BUDGET_MEDIAN_MS and p95 <= BUDGET_P95_MS else "   <-- over budget"
        print(f"  {control:<22} n={len(wall):3d}  wall median {median:6.1f} p95 {p95:6.1f} ms"
              f"   cpu median {np.median(cpu):6.1f} p95 {np.percentile(cpu, 95):6.1f} ms{flag}")
        for value, error in result["errors"]:
            print(f"    ! {control}={value!r}: {error}")
        if flag:
            over.append(f"{name}.{control}")
    return over


def _median_ms(work, repeats: int = 15) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return float(np.median(times))


def compare_encoders(names) -> None:
    """The course's PNG encoder (``png_bytes``: ISA-L's deflate) beside its fallbacks, OpenCV's zlib level 1 and
    Pillow's level 1, on each explorer's first picture; "same pixels" compares every decoded picture."""
    from PIL import Image

    encoders = {"png_bytes": png_bytes, "OpenCV": opencv_png_bytes, "Pillow": pillow_png_bytes}
    print(f"{'explorer':<26} {'size':>9}" + "".join(f"  {name + ' ms':>12} {'KB':>5}" for name in encoders)
          + "  same pixels")
    for name in names:
        rgba = np.asarray(EXPLORERS[name]().canvas.buffer_rgba())
        row, same = f"{name:<26} {rgba.shape[1]:>4}x{rgba.shape[0]:<4}", True
        for encode in encoders.values():
            data = encode(rgba)
            same &= np.array_equal(np.asarray(Image.open(io.BytesIO(data)).convert("RGB")), rgba[..., :3])
            row += f"  {_median_ms(lambda: encode(rgba)):12.1f} {len(data) / 1000:5.0f}"
        print(row + f"  {same}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("explorers", nargs="*", help="names in EXPLORERS (default: all)")
    parser.add_argument("--rounds", type=int, default=2, help="sweeps up and down per control (default 2)")
    parser.add_argument("--max-values", type=int, default=6, help="values per sweep (default 6)")
    parser.add_argument("--encoders", action="store_true", help="compare PNG encoders instead of timing controls")
    args = parser.parse_args()
    setup_notebook()  # the notebooks' figure style and resolution
    if args.encoders:
        compare_encoders(args.explorers or list(EXPLORERS))
        return
    print(f"budget: median <= {BUDGET_MEDIAN_MS:.0f} ms, p95 <= {BUDGET_P95_MS:.0f} ms per control change (wall)")
    print("load average (1, 5, 15 min):", os.getloadavg(), "cores:", os.cpu_count())
    over = []
    for name in args.explorers or list(EXPLORERS):
        over += report(name, args.rounds, args.max_values)
    print("\nload average at the end:", os.getloadavg())
    print("over budget:", ", ".join(over) if over else "none")


if __name__ == "__main__":
    main()
