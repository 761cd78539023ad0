"""Worked solutions of the "Your turn" exercises of ``06_programming_session.ipynb`` (checkers in
:mod:`course_utils.classification`; shown by :func:`course_utils.solutions.show_solution`)."""

import numpy as np

from course_utils.solutions import Solution

_NB = "06_programming_session.ipynb"


def _collection():
    """A stand-in for the notebook's ``fsdd``: what the split needs is ``speakers`` (and the length)."""
    from course_utils.data import AudioCollection

    speakers = np.array(["lucas", "theo", "george", "lucas", "jackson", "theo", "lucas"])
    audio = [np.zeros(800, dtype=np.float32) for _ in speakers]
    return {"np": np, "fsdd": AudioCollection(audio=audio, labels=np.arange(len(speakers)) % 10,
                                              class_names=[str(d) for d in range(10)], speakers=speakers,
                                              takes=np.zeros(len(speakers), dtype=int), sr=8000,
                                              paths=[f"{i}.wav" for i in range(len(speakers))])}


def _frame_probabilities():
    """A stand-in for the notebook's ``demo_probs`` and ``demo``: three files of a few frames each."""
    rng = np.random.default_rng(6)
    file_index = np.repeat([4, 11, 30], [5, 3, 6])
    probs = rng.dirichlet(np.full(10, 0.5), size=len(file_index))
    return {"np": np, "demo_probs": probs, "demo": type("Frames", (), {"file_index": file_index})()}


SOLUTIONS = [
    Solution("n_feature_frames", _NB,
             "0.5 s at 8 kHz is 4000 samples; without padding $N_\\mathrm{f} = \\lfloor (4000 - 256) / 128 \\rfloor "
             "+ 1 = 29 + 1 = 30$ frames, so 30 training examples.",
             "answer = (4000 - 256) // 128 + 1   # 30",
             "check_n_feature_frames(answer, n_samples=4000, block_size=256, hop_size=128)"),
    Solution("speaker_split", _NB,
             "A boolean mask says for each recording whether it is lucas's; `np.flatnonzero` turns a mask into the "
             "indices where it is True. Test: the mask; training: its negation, so no voice is on both sides.",
             "is_lucas = np.asarray(fsdd.speakers) == \"lucas\"\n"
             "my_train_idx, my_test_idx = np.flatnonzero(~is_lucas), np.flatnonzero(is_lucas)",
             "check_speaker_split(fsdd, \"lucas\", my_train_idx, my_test_idx)", _collection),
    Solution("mlp_params", _NB,
             "Each Dense layer has (inputs + 1) x units parameters (the + 1 is the bias): "
             "(26 + 1) 64 + (64 + 1) 64 + (64 + 1) 10 = 1728 + 4160 + 650 = 6538.",
             "answer = (26 + 1) * 64 + (64 + 1) * 64 + (64 + 1) * 10   # 6538",
             "check_mlp_params(answer, n_features=26, width=64, depth=2, n_classes=10)"),
    Solution("file_decision", _NB,
             "For each file, average the probability vectors of its frames (axis 0) and take the class with the "
             "largest mean (averaging the votes of many frames is steadier than any one frame). `files`, from `np.unique`, lists the files in sorted order: the order the answer follows.",
             "files = np.unique(demo.file_index)\n"
             "answer = np.array([demo_probs[demo.file_index == f].mean(axis=0).argmax() for f in files])",
             "check_file_decision(answer, demo_probs, demo.file_index)", _frame_probabilities),
]
