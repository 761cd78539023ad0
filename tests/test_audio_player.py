"""The explorers' audio player (course_utils.audio_player): WAV bytes as they are, never rescaled to full volume."""

import io
import wave

import numpy as np
import pytest

from course_utils.audio_player import AudioPlayer, wav_bytes


def test_wav_bytes_round_trip_and_player_does_not_normalise():
    y = 0.25 * np.sin(np.linspace(0, 100, 8000))
    with wave.open(io.BytesIO(wav_bytes(y, 8000))) as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth(), w.getnframes()) == (8000, 1, 2, 8000)
        pcm = np.frombuffer(w.readframes(8000), dtype="<i2") / 32767
    assert np.allclose(pcm, y, atol=1e-4)
    player = AudioPlayer("quiet")
    player.set(y, 8000)
    assert bytes(player.audio.value) == wav_bytes(y, 8000) and player.audio.format == "wav"
    assert "quiet (1.00 s)" in player.caption.value and "clipped" not in player.caption.value
    player.set(2 * np.ones(10), 8000)
    assert "clipped" in player.caption.value
    with pytest.raises(ValueError, match="mono"):
        wav_bytes(np.zeros((2, 10)), 8000)
    with pytest.raises(ValueError, match="sr must be"):
        wav_bytes(np.zeros(10), 0)
    with pytest.raises(TypeError, match="y holds integers"):
        wav_bytes(np.zeros(10, np.int16), 8000)
    with pytest.raises(ValueError, match="y holds NaN"):
        wav_bytes(np.array([0.0, np.nan]), 8000)
