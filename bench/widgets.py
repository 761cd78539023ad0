"""Latency of every control of every registered explorer (prints figures; asserts nothing).

    make bench                       # or: .venv/bin/python bench/widgets.py [explorer ...] [--rounds N]

For each control, the value is moved through its range (``sweep_values``) ``--rounds`` times; each
move is timed from setting ``.value`` until the new PNG is ready (``Explorer.last_update_ms`` covers
the update and the render). The budget is <= 100 ms median and <= 200 ms at the 95th percentile.
Buttons are not timed here: slow work belongs on them by design.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("NO_ALBUMENTATIONS_UPDATE", "1")

import numpy as np  # noqa: E402

from course_utils.widgets import EXPLORERS, sweep_values  # noqa: E402

BUDGET_MEDIAN_MS, BUDGET_P95_MS = 100.0, 200.0


def measure(name: str, rounds: int, max_values: int) -> list[tuple[str, int, float, float]]:
    start = time.perf_counter()
    explorer = EXPLORERS[name]()
    build_ms = (time.perf_counter() - start) * 1000
    print(f"\n{name}: built in {build_ms:.0f} ms")
    rows = []
    for control_name, control in explorer.controls.items():
        values = sweep_values(control, max_values=max_values)
        if len(values) < 2:
            continue
        original = control.value
        timings = []
        for _ in range(rounds):
            for value in values + values[-2::-1]:  # up and back down
                if value == control.value:
                    continue
                t0 = time.perf_counter()
                control.value = value
                wall = (time.perf_counter() - t0) * 1000
                if explorer.error is not None:
                    print(f"  ! {control_name}={value!r}: {explorer.error!r}")
                timings.append(wall)
        control.value = original
        if timings:
            median, p95 = float(np.median(timings)), float(np.percentile(timings, 95))
            flag = "" if median <= BUDGET_MEDIAN_MS and p95 <= BUDGET_P95_MS else "   <-- over budget"
            print(f"  {control_name:<22} n={len(timings):3d}  median {median:6.1f} ms   p95 {p95:6.1f} ms{flag}")
            rows.append((control_name, len(timings), median, p95))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("explorers", nargs="*", help="names in EXPLORERS (default: all)")
    parser.add_argument("--rounds", type=int, default=2, help="sweeps up and down per control (default 2)")
    parser.add_argument("--max-values", type=int, default=6, help="values per sweep (default 6)")
    args = parser.parse_args()
    names = args.explorers or list(EXPLORERS)
    print(f"budget: median <= {BUDGET_MEDIAN_MS:.0f} ms, p95 <= {BUDGET_P95_MS:.0f} ms per control change")
    over = []
    for name in names:
        for control_name, _, median, p95 in measure(name, args.rounds, args.max_values):
            if median > BUDGET_MEDIAN_MS or p95 > BUDGET_P95_MS:
                over.append(f"{name}.{control_name}")
    print("\nover budget:", ", ".join(over) if over else "none")


if __name__ == "__main__":
    main()
