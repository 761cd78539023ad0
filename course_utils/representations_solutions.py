"""Worked solutions of the "Your turn" exercises of ``01_audio_representations.ipynb`` (checkers in
:mod:`course_utils.representations`; shown by :func:`course_utils.solutions.show_solution`)."""

from course_utils.solutions import Solution

_NB = "01_audio_representations.ipynb"

SOLUTIONS = [
    Solution("n_frames", _NB,
             "Without padding the last frame must fit entirely: the frame starts are 0, H_f, 2 H_f, ... up to "
             "N - W_f, so $N_\\mathrm{f} = \\lfloor (N - W_\\mathrm{f}) / H_\\mathrm{f} \\rfloor + 1$ "
             "= floor(20002 / 512) + 1 = 39 + 1 = 40.",
             "answer_n_frames = (22050 - 2048) // 512 + 1   # = 40",
             "check_n_frames(answer_n_frames, n_samples=22050, block_size=2048, hop_size=512)"),
    Solution("n_frames_centered", _NB,
             "`center=True` pads W_f // 2 = 1024 zeros on each side, so N becomes 22050 + 2048 = 24098; the same "
             "formula then gives floor((24098 - 2048) / 512) + 1 = 43 + 1 = 44, i.e. 1 + floor(N / H_f).",
             "padded = 22050 + 2 * (2048 // 2)\nanswer_centered = (padded - 2048) // 512 + 1   # = 44",
             "check_n_frames_centered(answer_centered, n_samples=22050, block_size=2048, hop_size=512)"),
    Solution("patch_shape", _NB,
             "Patches are frames of frames: $N_\\mathrm{p} = \\lfloor (N_\\mathrm{f} - W_\\mathrm{p}) / "
             "H_\\mathrm{p} \\rfloor + 1$ = floor(335 / 48) + 1 = 7; each patch keeps all F = 64 bins and "
             "W_p = 96 frames, in the order (N_p, F, W_p).",
             "answer_patch_shape = ((431 - 96) // 48 + 1, 64, 96)   # = (7, 64, 96)",
             "check_patch_shape(answer_patch_shape, n_frames=431, n_bins=64, patch_length=96, patch_hop=48)"),
    Solution("hop_for_overlap", _NB,
             "75 % overlap means consecutive frames share 3/4 of their samples; the hop is the part they do not "
             "share: H_f = W_f (1 - 75/100) = 256 samples.",
             "answer_hop = int(1024 * (1 - 75 / 100))   # = 256",
             "check_hop_for_overlap(answer_hop, block_size=1024, overlap=75)"),
    Solution("frequency_resolution", _NB,
             "The DFT of a block of W_f samples has bins sr / W_f apart: 22050 / 2048 = 10.77 Hz (rounded).",
             "answer_resolution = 22050 / 2048   # 10.766... Hz per bin",
             "check_frequency_resolution(answer_resolution, sr=22050, block_size=2048)"),
    Solution("layer_inputs", _NB,
             "One sample frame (shape (1024,)) and one MFCC vector (shape (13,)) are vectors: a `Dense` layer takes "
             "them. A patch (64 bins x 32 frames, one channel) is an image whose neighbours in time and frequency "
             "belong together: `Conv2D` keeps that layout.",
             'answer_layers = {"frames": "Dense", "mfcc": "Dense", "patches": "Conv2D"}',
             "check_layer_inputs(answer_layers, block_size=1024, n_mfcc=13, n_bins=64, patch_length=32)"),
]
