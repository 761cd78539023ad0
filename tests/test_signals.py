"""Synthetic signals: deterministic, in range, with the frequencies they claim, and clear errors."""

import numpy as np
import pytest

from course_utils import signals


def _peak_frequency(y, sr):
    spectrum = np.abs(np.fft.rfft(y * np.hanning(len(y))))
    return np.fft.rfftfreq(len(y), 1 / sr)[np.argmax(spectrum)]


def test_tone_has_its_frequency_amplitude_and_length():
    y = signals.tone(441.0, duration=1.0, sr=22050, amplitude=0.3)
    assert y.dtype == np.float32 and y.shape == (22050,)
    assert np.isclose(np.abs(y).max(), 0.3, atol=1e-3)
    assert abs(_peak_frequency(y, 22050) - 441.0) <= 1.0


def test_note_follows_midi_pitch_and_never_aliases():
    assert signals.midi_to_hz(69) == pytest.approx(440.0)
    assert signals.midi_to_hz(81) == pytest.approx(880.0)
    y = signals.note(57, duration=1.0, sr=16000, decay=0.0)  # A3 = 220 Hz
    assert abs(_peak_frequency(y, 16000) - 220.0) <= 1.0
    assert np.isclose(np.abs(y).max(), 0.5, atol=1e-6)
    high = signals.note(120, duration=0.2, sr=22050, n_harmonics=40)  # harmonics above sr/2 are left out
    assert np.all(np.isfinite(high))


def test_chirp_sweeps_upwards():
    y = signals.chirp(200.0, 4000.0, duration=2.0, sr=16000, method="linear")
    first, last = y[:4000], y[-4000:]
    assert _peak_frequency(first, 16000) < 1500 < _peak_frequency(last, 16000)


def test_clicks_sit_where_asked():
    y = signals.clicks([0.1, 0.5], duration=1.0, sr=10000)
    onsets = np.flatnonzero(np.abs(y) > 0.05)
    assert onsets.min() >= 1000 and onsets.min() < 1010
    assert np.any((onsets >= 5000) & (onsets < 5010)) and onsets.max() < 5100


def test_everything_is_deterministic_and_in_range():
    for make in (lambda: signals.noise(1.0, 8000, 0.5, seed=3), lambda: signals.chirp_with_clicks(2.0, 16000)):
        a, b = make(), make()
        assert np.array_equal(a, b) and a.dtype == np.float32 and np.abs(a).max() <= 1.0
    assert not np.array_equal(signals.noise(seed=1), signals.noise(seed=2))


@pytest.mark.parametrize("call, match", [
    (lambda: signals.tone(30000, sr=22050), "frequency must be in"),
    (lambda: signals.tone(440, duration=0), "duration must be in"),
    (lambda: signals.tone(440, sr=50), "sr must be an integer from 100 to 192000"),
    (lambda: signals.tone(440, amplitude=2), "amplitude must be in"),
    (lambda: signals.chirp(method="cubic"), "method must be"),
    (lambda: signals.clicks([3.0], duration=1.0), "every click time"),
    (lambda: signals.note(200), "pitch must be a MIDI pitch"),
    (lambda: signals.note(60, n_harmonics=0), "n_harmonics must be"),
])
def test_bad_input_names_the_parameter(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_chirp_with_clicks_is_the_sweep_plus_clicks():
    both = signals.chirp_with_clicks(1.0, 8000)
    sweep = signals.chirp_with_clicks(1.0, 8000, with_clicks=False)
    assert sweep.shape == both.shape and sweep.dtype == np.float32
    difference = np.flatnonzero(np.abs(both - sweep) > 1e-6)
    assert difference.size and np.all(np.abs(difference / 8000 - np.round((difference / 8000 - 0.25) / 0.5) * 0.5
                                             - 0.25) < 0.01)  # only around the clicks at 0.25 s + k * 0.5 s
    with pytest.raises(TypeError, match="with_clicks"):
        signals.chirp_with_clicks(1.0, 8000, with_clicks="no")
