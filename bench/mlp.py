"""Speed of the MLP playground (notebook 05): animation frames, slider changes, NumPy versus Keras.

    .venv/bin/python bench/mlp.py [--repeats N] [--keras-repeats K]

Prints figures, asserts nothing.

1. **Per change**: every slider of the playground moved through its range (``sweep_values``, up and down
   ``--repeats`` times). A change restarts the run (fresh weights, epoch 0) and draws its first picture;
   budget: <= 40 ms median, so that a drag shows one restart after another.
2. **Per frame**: a run played to its budget the way the browser plays it (``play.set_state``, one tick per
   frame): the epochs each frame trains (the playground lowers them when training is slow) and the cost of
   a frame (train those epochs + redraw). The browser asks for a frame every ``FRAME_INTERVAL_MS``; a frame
   that takes longer lowers the frame rate, it never queues frames. Default settings, then slower ones.
3. **Keras fit** of the default network (same initial weights, data, 200 epochs, batch size, test loss after
   every epoch) ``--keras-repeats`` times after one warm-up fit, against the same training in NumPy.
   0 skips Keras.

Wall times on a shared machine depend on the other programs running; the CPU time of this process is less
sensitive to them, and the load average is printed for context.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("NO_ALBUMENTATIONS_UPDATE", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

from course_utils.explorers.mlp import FRAME_INTERVAL_MS  # noqa: E402
from course_utils.mlp import MLP  # noqa: E402
from course_utils.notebook import setup_notebook  # noqa: E402
from course_utils.widgets import EXPLORERS, time_controls  # noqa: E402

CHANGE_BUDGET_MS = 40.0
#: Settings of the frame benchmark besides the defaults (the slow corners of the sliders).
SLOW_SETTINGS = {
    "batch size 1": {"batch_size": 1},
    "6 x 32 units, batch size 1": {"depth": 6, "width": 32, "batch_size": 1},
    "spiral, 1000 epochs, batch size 5": {"dataset": "spiral", "epochs": 1000, "batch_size": 5},
}


def stats(values) -> str:
    return f"median {np.median(values):6.1f}  p95 {np.percentile(values, 95):6.1f} ms"


def bench_changes(repeats: int) -> None:
    explorer = EXPLORERS["playground"]()
    print(f"\n1. per change: restart at epoch 0 + first picture (budget: median <= {CHANGE_BUDGET_MS:.0f} ms)")
    for name, result in time_controls(explorer, rounds=repeats).items():
        wall, cpu = result["wall_ms"], result["cpu_ms"]
        flag = "" if np.median(wall) <= CHANGE_BUDGET_MS else "   <-- over budget"
        print(f"  {name:<15} n={len(wall):3d}  wall {stats(wall)}   cpu {stats(cpu)}{flag}")
        for value, error in result["errors"]:
            print(f"  ! {name}={value!r}: {error}")


def play_run(settings: dict) -> dict:
    """Play one run to its budget as the browser does; per frame: epochs trained, wall and CPU ms."""
    explorer = EXPLORERS["playground"](**settings)
    play = explorer.play
    play.set_state({"playing": True})
    epochs, wall, cpu = [], [], []
    start = time.perf_counter()
    while play.playing:
        before = explorer.run.epoch
        target = min(play.value + play.step, play.max)
        w0, c0 = time.perf_counter(), time.process_time()
        play.set_state({"value": target})
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
        epochs.append(explorer.run.epoch - before)
        assert explorer.error is None, explorer.error
    total = (time.perf_counter() - start) * 1000
    return {"explorer": explorer, "epochs": epochs, "wall_ms": wall, "cpu_ms": cpu, "total_ms": total}


def bench_frames() -> None:
    print(f"\n2. per frame: train k epochs + redraw (the browser asks every {FRAME_INTERVAL_MS} ms)")
    for label, settings in {"defaults": {}, **SLOW_SETTINGS}.items():
        result = play_run(settings)
        explorer, wall = result["explorer"], result["wall_ms"]
        v = explorer.values()
        fps = 1000 / max(FRAME_INTERVAL_MS, float(np.median(wall)))
        print(f"  {label} ({v['dataset']}, layers {explorer.net.layer_sizes}, batch size {v['batch_size']}, "
              f"{v['epochs']} epochs): {len(wall)} frames of {int(np.median(result['epochs']))} epochs "
              f"(from {min(result['epochs'])} to {max(result['epochs'])})")
        print(f"    per frame: wall {stats(wall)}   cpu {stats(result['cpu_ms'])}   "
              f"-> {fps:.0f} frames/s; the whole run in the kernel: {result['total_ms'] / 1000:.1f} s "
              f"(in the browser at least {len(wall) * FRAME_INTERVAL_MS / 1000:.1f} s)")


def bench_keras(repeats: int) -> None:
    import keras

    explorer = EXPLORERS["playground"]()
    v = explorer.values()
    X_train, y_train, X_test, y_test = explorer.data
    sizes = explorer.net.layer_sizes
    numpy_ms = []
    for _ in range(max(repeats, 3)):
        net = MLP(sizes, v["activation"], seed=v["seed"])
        start = time.perf_counter()
        net.fit(X_train, y_train, epochs=v["epochs"], learning_rate=v["learning_rate"], batch_size=v["batch_size"],
                test_data=(X_test, y_test))
        numpy_ms.append((time.perf_counter() - start) * 1000)
    keras_ms = []
    for i in range(repeats + 1):
        model = MLP(sizes, v["activation"], seed=v["seed"]).to_keras(learning_rate=v["learning_rate"])
        start = time.perf_counter()
        history = model.fit(X_train, y_train, epochs=v["epochs"], batch_size=v["batch_size"],
                            validation_data=(X_test, y_test), verbose=0)
        seconds = (time.perf_counter() - start) * 1000
        if i == 0:
            print(f"\n3. Keras {keras.__version__} fit, {v['epochs']} epochs: warm-up {seconds:.0f} ms")
        else:
            keras_ms.append(seconds)
    print(f"  NumPy fit: {stats(numpy_ms)}  (test accuracy {net.history.test_accuracy[-1]:.2f})")
    print(f"  Keras fit: {stats(keras_ms)}  (test accuracy {history.history['val_accuracy'][-1]:.2f}); "
          f"Keras / NumPy: {np.median(keras_ms) / np.median(numpy_ms):.0f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2, help="sweeps up and down per slider (default 2)")
    parser.add_argument("--keras-repeats", type=int, default=3)
    args = parser.parse_args()
    if args.repeats < 1 or args.keras_repeats < 0:
        parser.error("--repeats must be at least 1 and --keras-repeats at least 0 (0 skips Keras)")
    setup_notebook()  # the figure style (and dpi) of the notebooks
    print("load average (1, 5, 15 min):", os.getloadavg(), "cores:", os.cpu_count())
    bench_changes(args.repeats)
    bench_frames()
    if args.keras_repeats:
        bench_keras(args.keras_repeats)
    print("\nload average at the end:", os.getloadavg())


if __name__ == "__main__":
    main()
