"""Benchmark of the programming session (notebook 06): feature time, training time, accuracies.

    python bench/classification.py            # the full experiment (what the notebook does with fast mode off)
    python bench/classification.py --quick    # 2 held-out speakers only (a smoke run)

Prints, never asserts:

* time to compute the features of all 3,000 FSDD recordings the first time (empty feature cache, in a
  fresh process: includes librosa's start-up) and when cached (median and p95 of repeated loads);
* time to train the default MLP (``DEFAULT_TRAINING``) on the official split (median of ``--repeats`` runs),
  wall time and CPU time (CPU time does not grow when other programs share the cores);
* file-level test accuracy on the official split with the default settings;
* file-level accuracy for each held-out speaker without and with augmentation, with mean ± std.

Targets (issue 8): features <= 10 s first time and <= 1 s cached, default training <= 30 s on 2 cores,
official file-level accuracy >= 98 %, held-out-speaker mean >= 80 %.

The feature cache lives in a temporary folder (``COURSE_DATA_DIR`` is pointed there), so the user's own
cache is neither used nor touched. TensorFlow uses all cores (``--threads`` to change).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

FIRST_TIME_SCRIPT = """
import time
t0 = time.perf_counter()
c0 = time.process_time()
from course_utils.features import compute_features
from course_utils.data import load_fsdd
fsdd = load_fsdd(progress=False)
t1 = time.perf_counter()
features = compute_features(fsdd, progress=False)
t2 = time.perf_counter()
assert not features.from_cache
print(f"{t1 - t0:.3f} {t2 - t1:.3f} {len(features)} {time.process_time() - c0:.3f}")
"""


def percentile_text(values) -> str:
    values = np.asarray(values, dtype=float)
    return f"median {np.median(values):.2f} s, p95 {np.percentile(values, 95):.2f} s (n={len(values)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="hold out 2 speakers instead of all 6")
    parser.add_argument("--repeats", type=int, default=3, help="trainings of the default MLP to time")
    parser.add_argument("--threads", type=int, default=0, help="TensorFlow intra-op threads (0: all cores)")
    args = parser.parse_args()

    cache = tempfile.mkdtemp(prefix="bench_classification_")
    mirror = os.environ.get("COURSE_DATA_MIRROR")
    # FSDD itself stays in the normal cache (only the features go to the temporary folder): copy the audio
    # in via the data layer once, then point COURSE_DATA_DIR at the temporary folder for the features.
    from course_utils.data import cache_dir, load_fsdd

    fsdd = load_fsdd(progress=False)
    fsdd_root = cache_dir()
    Path(cache, "fsdd").symlink_to(fsdd_root / "fsdd", target_is_directory=True)
    os.environ["COURSE_DATA_DIR"] = cache
    env = {**os.environ, "COURSE_DATA_DIR": cache}
    if mirror:
        env["COURSE_DATA_MIRROR"] = mirror
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} (other work inflates times)")

    # 1. features, first time (fresh process, empty feature cache) and cached
    out = subprocess.run([sys.executable, "-c", FIRST_TIME_SCRIPT], env=env, capture_output=True, text=True,
                         check=True).stdout.split()
    load_s, first_s, n_examples, first_cpu = float(out[0]), float(out[1]), int(out[2]), float(out[3])
    from course_utils.classification import (
        DEFAULT_TRAINING,
        held_out_speaker_experiment,
        run_experiment,
        summarize_held_out,
    )
    from course_utils.features import DEFAULT_AUGMENTATION, augmented_features, compute_features

    cached = []
    for _ in range(10):
        t = time.perf_counter()
        features = compute_features(fsdd, progress=False)
        cached.append(time.perf_counter() - t)
        assert features.from_cache
    print(f"features, {len(fsdd)} recordings -> {n_examples} MFCC frames")
    print(f"  first time (fresh process, incl. librosa start-up): {first_s:.2f} s   (loading the audio: {load_s:.2f} s; "
          f"CPU time of the whole process {first_cpu:.1f} s)")
    print(f"  cached: {percentile_text(cached)}")

    # 2. the default MLP on the official split
    import keras
    import tensorflow as tf

    if args.threads:
        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    from course_utils.data import official_split

    train_idx, test_idx = official_split(fsdd)
    seconds, cpu_seconds, accuracies = [], [], []
    for seed in range(args.repeats):
        c0 = time.process_time()
        result = run_experiment(features, train_idx, test_idx, seed=seed)
        cpu_seconds.append(time.process_time() - c0)
        seconds.append(result.history["seconds"])
        accuracies.append(result.evaluation.file_accuracy)
        print(f"  run {seed}: {result.history['seconds']:.1f} s, official file-level accuracy "
              f"{result.evaluation.file_accuracy:.4f} (frames {result.evaluation.example_accuracy:.4f})")
    print(f"default MLP {DEFAULT_TRAINING} (keras {keras.__version__}):")
    print(f"  training time: {percentile_text(seconds)}")
    print(f"  CPU time per run (summed over threads, incl. evaluation): median {np.median(cpu_seconds):.1f} s")
    print(f"  official split, file-level test accuracy: {np.mean(accuracies):.4f} mean over {len(accuracies)} seeds "
          f"(min {np.min(accuracies):.4f}, max {np.max(accuracies):.4f})")

    # 3. held-out speakers without and with augmentation
    speakers = ["george", "nicolas"] if args.quick else sorted(set(fsdd.speakers.tolist()))
    t = time.perf_counter()
    augmented = augmented_features(fsdd, features.params, n_copies=2, augmentation=DEFAULT_AUGMENTATION, seed=0,
                                   progress=False)
    print(f"augmented features: {len(augmented)} frames from 2 copies per recording in {time.perf_counter() - t:.1f} s "
          f"({DEFAULT_AUGMENTATION})")
    t = time.perf_counter()
    plain = held_out_speaker_experiment(fsdd, features, speakers, epochs=8, progress=False)
    with_aug = held_out_speaker_experiment(fsdd, features, speakers, epochs=8, augmented=augmented, progress=False)
    print(f"held-out speakers ({len(speakers)} x 2 trainings of 8 epochs in {time.perf_counter() - t:.0f} s), "
          "file-level accuracy:")
    print(f"  {'speaker':10s} {'without':>8s} {'with aug.':>9s}")
    for name in speakers:
        print(f"  {name:10s} {plain.loc[name, 'accuracy']:8.3f} {with_aug.loc[name, 'accuracy']:9.3f}")
    print(f"  without augmentation: {summarize_held_out(plain)}")
    print(f"  with augmentation:    {summarize_held_out(with_aug)}")


if __name__ == "__main__":
    main()
