"""Latency of the explorers of notebook 01 (framing, spectrogram, patches); prints figures, asserts nothing.

    .venv/bin/python bench/representations.py [--rounds N]

Every control is moved through its range (``sweep_values``) up and back down ``--rounds`` times on the
explorers' 5 s clips at 22.05 kHz. Two figures per control: the wall time of an update including the PNG
render (``Explorer.last_update_ms``, what a student waits) and the CPU time of this process for the same
work (less sensitive to other programs on a shared machine). Also reported: the load average, and the
demo explorer ``tone`` as a yardstick for how fast this machine renders a figure right now.
Budget: <= 100 ms median and <= 200 ms p95 per control change.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("NO_ALBUMENTATIONS_UPDATE", "1")

import numpy as np  # noqa: E402

from course_utils.widgets import EXPLORERS, sweep_values  # noqa: E402

NAMES = ("tone", "framing", "spectrogram", "patches")


def measure(name: str, rounds: int) -> None:
    start = time.perf_counter()
    explorer = EXPLORERS[name]()
    print(f"\n{name}: built in {(time.perf_counter() - start) * 1000:.0f} ms (loads and caches its signals)")
    for control_name, control in explorer.controls.items():
        if name == "framing" and control_name == "hop_size":
            explorer.controls["hop"].value = None  # the hop slider only acts in "in samples" mode
        values = sweep_values(control)
        original = control.value
        wall, cpu = [], []
        for _ in range(rounds):
            for value in values + values[-2::-1]:
                if value == control.value:
                    continue
                c0 = time.process_time()
                control.value = value
                cpu.append((time.process_time() - c0) * 1000)
                wall.append(explorer.last_update_ms)
                if explorer.error is not None:
                    print(f"  ! {control_name}={value!r}: {explorer.error!r}")
        control.value = original
        if name == "framing" and control_name == "hop_size":
            explorer.controls["hop"].value = 0.5
        if wall:
            print(f"  {control_name:<14} n={len(wall):3d}  wall median {np.median(wall):6.1f} p95 "
                  f"{np.percentile(wall, 95):6.1f} ms   cpu median {np.median(cpu):6.1f} p95 {np.percentile(cpu, 95):6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    print("load average (1, 5, 15 min):", os.getloadavg(), "cores:", os.cpu_count())
    for name in NAMES:
        measure(name, args.rounds)


if __name__ == "__main__":
    main()
