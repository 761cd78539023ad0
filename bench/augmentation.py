"""Figures for notebook 03 (prints them; asserts nothing).

    .venv/bin/python bench/augmentation.py            # explorer latency, per transform and control
    .venv/bin/python bench/augmentation.py --experiment  # the "does it help" experiment, every speaker held out

Latency: for each transform of the two augmentation explorers, every control that belongs to it is moved
through its range (``sweep_values``), up and back down; ``Explorer.last_update_ms`` covers the update and the
PNG render. Budget: <= 100 ms median, <= 200 ms 95th percentile (5 s clips at 22.05 kHz).

Experiment: :func:`course_utils.augmentation_experiment.augmentation_experiment` with the full data and two augmented
copies, each of the six FSDD speakers held out in turn (takes a few minutes).
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("NO_ALBUMENTATIONS_UPDATE", "1")

import numpy as np  # noqa: E402

from course_utils.widgets import EXPLORERS, sweep_values  # noqa: E402

RELEVANT = {
    "audio_augmentation": {
        "shift": ("shift_ms", "rollover"),
        "pitch": ("semitones",),
        "noise": ("snr_db",),
        "pipeline": ("shift_ms", "semitones", "snr_db", "p"),
    },
    "spectrogram_augmentation": {
        "time_mask": ("n_masks", "mask_width", "fill", "unit_range"),
        "frequency_mask": ("n_masks", "mask_width"),
        "time_frequency_mask": ("n_masks", "mask_width", "fill"),
        "coarse_dropout": ("n_masks", "mask_width"),
        "random_resized_crop": ("crop_scale",),
        "time_flip": ("unit_range",),
        "frequency_flip": ("unit_range",),
        "brightness_contrast": ("unit_range",),
    },
}


def latency(rounds: int) -> None:
    for name, transforms in RELEVANT.items():
        start = time.perf_counter()
        explorer = EXPLORERS[name]()
        print(f"\n{name}: built in {(time.perf_counter() - start) * 1000:.0f} ms")
        everything = []
        for transform, controls in transforms.items():
            explorer.controls["transform"].value = transform
            for control_name in controls:
                control = explorer.controls[control_name]
                values = sweep_values(control, max_values=6)
                timings = []
                for _ in range(rounds):
                    for value in values + values[-2::-1]:
                        if value == control.value:
                            continue
                        control.value = value
                        if explorer.error is not None:
                            raise RuntimeError(f"{name}/{transform}/{control_name}={value!r}: {explorer.error}")
                        timings.append(explorer.last_update_ms)
                everything += timings
                print(f"  {transform:20s} {control_name:11s} median {np.median(timings):6.1f} ms   "
                      f"p95 {np.percentile(timings, 95):6.1f} ms   (n={len(timings)})")
        sound = explorer.controls["sound"]
        sound_timings = []
        for value in sweep_values(sound) * 2:
            if value != sound.value:
                sound.value = value
                sound_timings.append(explorer.last_update_ms)
        print(f"  all controls: median {np.median(everything):.1f} ms, p95 {np.percentile(everything, 95):.1f} ms; "
              f"changing the sound: median {np.median(sound_timings):.1f} ms")


def experiment() -> None:
    from course_utils.augmentation_experiment import augmentation_experiment
    from course_utils.data import FSDD_SPEAKERS, load_fsdd

    fsdd = load_fsdd(progress=False)
    print(f"\n{'held out':10s} {'clean: plain':>13s} {'augmented':>10s} {'p':>8s}   "
          f"{'10 dB: plain':>13s} {'augmented':>10s} {'p':>8s}  {'time':>6s}")
    for speaker in FSDD_SPEAKERS:
        r = augmentation_experiment(fsdd, speaker, n_copies=2, seed=0)
        print(f"{speaker:10s} {r.accuracy_plain:13.1%} {r.accuracy_augmented:10.1%} {r.p_value:8.2g}   "
              f"{r.accuracy_plain_noisy:13.1%} {r.accuracy_augmented_noisy:10.1%} {r.p_value_noisy:8.2g}  "
              f"{r.seconds:5.0f}s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="sweeps per control (default 2)")
    parser.add_argument("--experiment", action="store_true", help="run the six-speaker experiment instead")
    args = parser.parse_args()
    if args.experiment:
        experiment()
    else:
        latency(args.rounds)
