"""Speed of the MLP playground (notebook 05): live retraining versus Keras; prints figures, asserts nothing.

    .venv/bin/python bench/mlp.py [--repeats N] [--keras-repeats K] [--no-controls]

1. **Retrain + redraw**: the playground with its default settings (circle data, 200 points, half for training;
   2 hidden ReLU layers of 8 units; batch size 25; learning rate 0.1) gets fresh weights, trains 200 epochs
   and redraws (PNG included), ``--repeats`` times: what every data or architecture slider move costs.
   Budget: <= 150 ms median.
2. **Keras fit** of the same model (same initial weights, same data, 200 epochs, same batch size, test loss
   after every epoch like the playground) ``--keras-repeats`` times, after one warm-up fit that builds
   TensorFlow's graphs; and the ratio Keras / NumPy (training only, and retrain+redraw). 0 skips Keras.
3. Unless ``--no-controls``: every control of ``playground`` and ``gradient_descent`` moved through its range
   (``sweep_values``); wall time per update incl. PNG and this process's CPU time. The demo explorer ``tone``
   comes first as a yardstick for how fast this machine renders a figure right now.

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

from course_utils.notebook import setup_notebook  # noqa: E402
from course_utils.widgets import EXPLORERS, time_controls  # noqa: E402


def stats(values) -> str:
    return f"median {np.median(values):7.1f}  p95 {np.percentile(values, 95):7.1f} ms"


def bench_retrain(repeats: int):
    explorer = EXPLORERS["playground"]()
    v = explorer.values()
    print(f"\nplayground defaults: {v['dataset']}, {explorer.n_samples} points, train share {v['train_fraction']}, "
          f"layers {explorer.net.layer_sizes}, {v['activation']}, batch size {v['batch_size']}, "
          f"learning rate {v['learning_rate']}, {v['epochs']} epochs")
    wall, cpu, train_wall = [], [], []
    for _ in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        explorer.retrain()
        wall.append((time.perf_counter() - w0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        assert explorer.error is None, explorer.error
    for _ in range(repeats):
        explorer._new_network(explorer.values())
        w0 = time.perf_counter()
        explorer.train(v["epochs"])
        train_wall.append((time.perf_counter() - w0) * 1000)
    print(f"retrain {v['epochs']} epochs + redraw (n={repeats}): wall {stats(wall)}   cpu {stats(cpu)}")
    print(f"training only                      : wall {stats(train_wall)}")
    h = explorer.net.history
    print(f"  (after training: test accuracy {h.test_accuracy[-1]:.2f})")
    return explorer, float(np.median(wall)), float(np.median(train_wall))


def bench_keras(explorer, repeats: int):
    import keras

    v = explorer.values()
    X_train, y_train, X_test, y_test = explorer.data
    times = []
    for i in range(repeats + 1):
        explorer._new_network(v)
        model = explorer.net.to_keras(learning_rate=v["learning_rate"])
        start = time.perf_counter()
        history = model.fit(X_train, y_train, epochs=v["epochs"], batch_size=v["batch_size"],
                            validation_data=(X_test, y_test), verbose=0)
        seconds = (time.perf_counter() - start) * 1000
        if i == 0:
            print(f"\nKeras {keras.__version__} fit, {v['epochs']} epochs: warm-up {seconds:.0f} ms")
        else:
            times.append(seconds)
    print(f"Keras fit (n={repeats}): {stats(times)}  (test accuracy {history.history['val_accuracy'][-1]:.2f})")
    return float(np.median(times))


def bench_controls() -> None:
    for name in ("tone", "playground", "gradient_descent"):
        explorer = EXPLORERS[name]()
        print(f"\n{name}: per control change (sweep up and down, wall incl. PNG / cpu)")
        for control_name, result in time_controls(explorer, rounds=1).items():
            if result["wall_ms"]:
                print(f"  {control_name:<15} n={len(result['wall_ms']):3d}  wall {stats(result['wall_ms'])}"
                      f"   cpu {stats(result['cpu_ms'])}")
            for value, error in result["errors"]:
                print(f"  ! {control_name}={value!r}: {error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--keras-repeats", type=int, default=3)
    parser.add_argument("--no-controls", action="store_true")
    args = parser.parse_args()
    if args.repeats < 1 or args.keras_repeats < 0:
        parser.error("--repeats must be at least 1 and --keras-repeats at least 0 (0 skips Keras)")
    setup_notebook()  # the figure style (and dpi) of the notebooks
    print("load average (1, 5, 15 min):", os.getloadavg(), "cores:", os.cpu_count())
    explorer, retrain_ms, train_ms = bench_retrain(args.repeats)
    if args.keras_repeats:
        keras_ms = bench_keras(explorer, args.keras_repeats)
        print(f"\nratio Keras fit / NumPy training: {keras_ms / train_ms:.0f}x; "
              f"Keras fit / NumPy retrain+redraw: {keras_ms / retrain_ms:.0f}x")
    if not args.no_controls:
        bench_controls()
    print("\nload average at the end:", os.getloadavg())


if __name__ == "__main__":
    main()
