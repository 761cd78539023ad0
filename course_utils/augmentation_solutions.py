"""Worked solutions of the "Your turn" exercises of ``03_data_augmentation.ipynb`` (checkers in
:mod:`course_utils.augmentation`, :mod:`course_utils.augmentation_labels` and
:mod:`course_utils.spectrogram_augmentation`; shown by :func:`course_utils.solutions.show_solution`)."""

import numpy as np

from course_utils.solutions import Solution

_NB = "03_data_augmentation.ipynb"


def _clip():
    """A stand-in for the notebook's speech clip ``y`` and its spectrogram ``S_db``."""
    from course_utils.representations import log_mel_spectrogram
    from course_utils.signals import tone

    y = tone(440.0, duration=0.5, sr=8000) * np.linspace(0.2, 1.0, 4000, dtype=np.float32)
    return {"np": np, "y": y, "S_db": log_mel_spectrogram(y, sr=8000)}


SOLUTIONS = [
    Solution("noise_std", _NB,
             "$\\mathrm{SNR_{dB}} = 20 \\log_{10}(\\mathrm{rms}(y) / \\sigma)$ for zero-mean noise, whose rms is "
             "its standard deviation; solve for $\\sigma = \\mathrm{rms}(y) / 10^{\\mathrm{SNR}/20}$ "
             "(20, not 10: these are amplitudes, not powers).",
             "sigma = np.sqrt(np.mean(y ** 2)) / 10 ** (20.0 / 20)",
             "check_noise_std(sigma, y, 20.0)", _clip),
    Solution("shifted_onsets", _NB,
             "Every onset moves with the audio by +0.5 s: 0.3 -> 0.8 and 1.1 -> 1.6; 2.7 -> 3.2 falls past the end "
             "of the 3 s clip (the shift does not roll the audio over), so that event is gone and its label too.",
             "shifted_onsets = [t + 0.5 for t in [0.3, 1.1, 2.7] if t + 0.5 < 3.0]   # [0.8, 1.6]",
             "check_shifted_onsets(shifted_onsets, [0.3, 1.1, 2.7], 500.0, 3.0)"),
    Solution("safe_for_pitch_labels", _NB,
             "A pitch label survives what leaves the frequencies alone and still sounds like a real note: shifts in "
             "time, added noise and masks or dropout (the note is partly hidden, not moved). A pitch shift changes "
             "the label itself; a resized crop or a frequency flip moves the harmonics; a time flip keeps the pitch "
             "but no real note swells up and stops dead as a reversed one does.",
             'pitch_safe = ["time_shift", "noise", "time_mask", "frequency_mask", "coarse_dropout"]',
             "check_safe_for_pitch_labels(pitch_safe)"),
    Solution("silence_fill", _NB,
             "A masked region should look like silence, i.e. the quietest value of this spectrogram in dB: its "
             "minimum (with `top_db=80`, 80 dB below its maximum). Zero is not silence: 0 dB is a power of 1, louder "
             "than most cells of this spectrogram (`np.mean(S_db < 0)` says how many), so a 0 dB mask would look like sound.",
             "silence_fill = float(S_db.min())",
             "check_silence_fill(silence_fill, S_db)", _clip),
]
