"""The start notebook's demo explorer: a sine tone you can see and hear.

Notebook: ``00_start_here.ipynb``.
"""

from __future__ import annotations

import numpy as np

from course_utils.signals import tone
from course_utils.widgets import Explorer, log_slider, register, slider


@register("tone")
class ToneExplorer(Explorer):
    """A sine tone: its waveform (first 20 ms) and its magnitude spectrum, and a player."""

    title = "Demo: a sine tone"
    help = "Move the sliders: the waveform, the spectrum, the numbers below and the sound follow."
    figsize = (9.0, 3.0)
    player_names = ("tone",)
    sr = 22050
    duration = 1.0
    window_ms = 20.0

    def make_controls(self):
        return {
            "frequency": log_slider("frequency (Hz)", 440.0, np.log10(50), np.log10(5000), step=0.05, readout_format=".0f"),
            "amplitude": slider("amplitude", 0.5, 0.0, 1.0, 0.05),
        }

    def build(self, fig):
        self.ax_wave, self.ax_spec = fig.subplots(1, 2)
        n = int(self.window_ms / 1000 * self.sr)
        t_ms = np.arange(n) / self.sr * 1000
        (self.wave_line,) = self.ax_wave.plot(t_ms, np.zeros(n), lw=1.5)
        self.ax_wave.set(xlabel="time (ms)", ylabel="amplitude", ylim=(-1.05, 1.05), xlim=(0, self.window_ms),
                         title="waveform (first 20 ms)")
        freqs = np.fft.rfftfreq(int(self.sr * self.duration), 1 / self.sr)
        (self.spec_line,) = self.ax_spec.plot(freqs, np.zeros_like(freqs), lw=1.2, color="C1")
        self.ax_spec.set(xscale="log", xlim=(30, self.sr / 2), ylim=(-100, 5), xlabel="frequency (Hz)",
                         ylabel="magnitude (dB)", title="spectrum")

    def dynamic_artists(self):
        # Only the two curves change: axes, ticks and labels are drawn once (see Explorer.dynamic_artists).
        return [self.wave_line, self.spec_line]

    def update(self, frequency, amplitude):
        y = tone(frequency, self.duration, self.sr, amplitude=amplitude)
        self.wave_line.set_ydata(y[: len(self.wave_line.get_xdata())])
        spectrum = np.abs(np.fft.rfft(y * np.hanning(len(y)))) / (len(y) / 4)
        self.spec_line.set_ydata(20 * np.log10(np.maximum(spectrum, 1e-5)))
        period_ms = 1000.0 / frequency
        self.set_readout(
            f"f = {frequency:.1f} Hz &rarr; period T = 1/f = {period_ms:.2f} ms, "
            f"so {self.window_ms / period_ms:.1f} periods fit into the 20 ms shown; peak amplitude {amplitude:.2f}."
        )
        self.players["tone"].set(y, self.sr, label=f"{frequency:.0f} Hz tone")

    def describe(self):
        frequency, amplitude = self.controls["frequency"].value, self.controls["amplitude"].value
        periods = self.window_ms * frequency / 1000
        return (f"Waveform (first 20 ms, {periods:.1f} periods) and magnitude spectrum of a {frequency:.0f} Hz sine "
                f"tone of amplitude {amplitude:.2f}: the waveform swings between ±{amplitude:.2f}, the spectrum "
                f"has one peak at {frequency:.0f} Hz.")
