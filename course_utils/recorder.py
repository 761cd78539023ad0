"""Record your own voice in the notebook: microphone or file upload -> a float32 array in the kernel.

Notebooks: ``00_start_here.ipynb`` (record, see, hear), ``03_data_augmentation.ipynb`` (your take through
the augmentation explorer), ``06_programming_session.ipynb`` (the trained network classifies your digits).

* :class:`Recorder`: the control a notebook displays. **Record / Stop**, a level meter, the length so far
  against ``max_seconds`` and the sample rate; the take arrives in the kernel as raw PCM (float32, mono)
  with the browser's sample rate, is checked (:func:`diagnose_take`), drawn (waveform and log-mel
  spectrogram) and can be played back and saved. Where the microphone cannot be used (permission refused,
  an http:// page that is not localhost, a frame without microphone access, no device) the widget says why
  in one sentence and the file upload below it gives the same kind of take.
* :func:`decode_audio`: bytes of an uploaded file (wav, flac, ogg/vorbis, ogg/opus, mp3; webm and others
  where ffmpeg is installed) -> mono float32 samples and their sample rate.
* :func:`save_take`: a take as a 16-bit WAV in ``<folder>/<label>/<name>.wav``, the layout
  :func:`course_utils.data.load_folder` reads; an existing file is never overwritten.

The recording path: an AudioWorklet in the page copies the microphone's samples, Stop sends them to the
kernel as binary messages of the widget (anywidget, ``recorder.js`` beside this file). Nothing is
compressed, and the page sends the samples to the notebook's own kernel only: on the student's computer they
stay there; on Binder or Colab that kernel (and any saved take) is on the remote server.
"""

from __future__ import annotations

import contextlib
import html
import io
import os
import re
import tempfile
import warnings
import weakref
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import ipywidgets as widgets

from course_utils._arguments import _check_fraction, _check_int
from course_utils.png import png_bytes
from course_utils.audio_player import AudioPlayer

__all__ = [
    "RECORDINGS_DIR_ENV", "Take", "Recorder", "decode_audio", "diagnose_take", "live_recorders", "recordings_dir",
    "save_take",
]

#: Environment variable naming the folder where saved takes go (default: ``data/my_recordings`` of a clone).
RECORDINGS_DIR_ENV = "COURSE_RECORDINGS_DIR"
#: The longest take a recorder accepts, in seconds (a digit needs about one).
MAX_SECONDS_LIMIT = 60.0
#: Below this level (dBFS) for the loudest 50 ms of a take, the take counts as silent.
SILENCE_DBFS = -45.0
#: A take whose loudest 50 ms stand less than this many dB above its quietest is only background noise.
MIN_DYNAMIC_DB = 12.0
#: A sample at or above this magnitude counts as clipped.
CLIP_LEVEL = 0.999
#: File types the upload accepts.
UPLOAD_TYPES = (".wav", ".flac", ".ogg", ".oga", ".opus", ".mp3", ".webm", ".m4a")


def recordings_dir() -> Path:
    """The folder saved takes go to: ``$COURSE_RECORDINGS_DIR``, else ``data/my_recordings`` in a clone of
    the course, else ``~/dl4audio_recordings`` (an installed package, e.g. on Colab)."""
    env = os.environ.get(RECORDINGS_DIR_ENV)
    if env:
        return Path(env).expanduser().resolve()
    from course_utils.data import _repo_root

    root = _repo_root()
    return root / "data" / "my_recordings" if root is not None else Path.home() / "dl4audio_recordings"


def _mono_float32(y: np.ndarray, name: str = "y") -> np.ndarray:
    y = np.asarray(y)
    if y.dtype == bool or not (np.issubdtype(y.dtype, np.floating) or np.issubdtype(y.dtype, np.integer)):
        raise TypeError(f"{name} must be an array of real audio samples, got dtype {y.dtype}")
    if np.issubdtype(y.dtype, np.integer):
        raise TypeError(f"{name} holds integers ({y.dtype}); convert to float in [-1, 1] first "
                        f"(int16: divide by 32768)")
    if y.ndim == 2 and min(y.shape) <= 8:  # (n, channels) or (channels, n): the shorter side holds the channels
        y = y.mean(axis=0 if y.shape[0] < y.shape[1] else 1)
    if y.ndim != 1:
        raise ValueError(f"{name} must be mono, shape (n_samples,), or (n_samples, n_channels); got shape {y.shape}")
    if y.size and not np.all(np.isfinite(y)):
        raise ValueError(f"{name} holds NaN or infinite samples")
    return np.ascontiguousarray(y, dtype=np.float32)


def decode_audio(data: bytes, name: str = "") -> tuple[np.ndarray, int]:
    """Decode the bytes of an audio file into mono float32 samples (channels averaged) and the sample rate.

    libsndfile (through soundfile) reads wav, flac, ogg (vorbis and opus) and mp3 straight from memory;
    any other container (webm, m4a, …) is tried with librosa's audioread fallback, which needs ffmpeg.

    Args:
        data: the file's bytes (e.g. ``FileUpload``'s ``content``).
        name: the file's name, used in messages and for the fallback's file type.

    Returns:
        ``(y, sr)``: ``y`` float32, shape ``(n_samples,)``, values in [-1, 1] for integer formats; ``sr`` in Hz.

    Raises:
        ValueError: empty or undecodable data, naming the file and the formats that work.
    """
    import soundfile as sf

    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"data must be the file's bytes, got {type(data).__name__}")
    data = bytes(data)
    label = repr(name) if name else "the file"
    if not data:
        raise ValueError(f"{label} is empty (0 bytes): record again, or choose another file")
    try:
        y, sr = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
    except Exception as first:  # noqa: BLE001 - libsndfile says only "format not recognised"
        suffix = Path(name).suffix.lower() if name else ""
        with tempfile.NamedTemporaryFile(suffix=suffix or ".audio", delete=False) as handle:
            handle.write(data)
        try:
            import librosa

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                y, sr = librosa.load(handle.name, sr=None, mono=False)
            y = np.atleast_2d(y).T
        except Exception as error:  # noqa: BLE001
            raise ValueError(
                f"cannot decode {label} as audio: libsndfile does not read it and the fallback found no decoder "
                f"({type(error).__name__}). WAV, FLAC, OGG and MP3 always work; other formats (webm, m4a) need "
                f"ffmpeg installed") from first
        finally:
            os.unlink(handle.name)
    if y.shape[0] == 0:
        raise ValueError(f"{label} holds no samples: record again, or choose another file")
    y = np.asarray(y, dtype=np.float32).mean(axis=1)
    if not np.all(np.isfinite(y)):
        raise ValueError(f"{label} holds NaN or infinite samples")
    return np.ascontiguousarray(y), int(sr)


def _frame_levels_db(y: np.ndarray, sr: int, seconds: float = 0.05) -> np.ndarray:
    """RMS level in dBFS of consecutive frames of ``seconds`` (at least one frame)."""
    n = max(1, int(round(seconds * sr)))
    count = max(1, len(y) // n)
    frames = np.resize(y, count * n).reshape(count, n) if len(y) >= n else y[None, :]
    rms = np.sqrt(np.mean(np.square(frames, dtype=np.float64), axis=1))
    return 20 * np.log10(np.maximum(rms, 1e-10))


def diagnose_take(y: np.ndarray, sr: int, *, min_seconds: float = 0.3, max_seconds: float | None = None,
                  expect: str = "") -> list[str]:
    """What is wrong with a take, each as one sentence that says what to do; ``[]`` when it is fine.

    Checks, on frames of 50 ms: **silence** (the loudest frame below -45 dBFS), **only background noise**
    (the loudest frame less than 12 dB above the quietest), **clipping** (samples at full scale), and the
    **length** (shorter than ``min_seconds``; longer than ``max_seconds``, when given; with ``expect="word"``
    also speech spread over more than 2 s, which is more than one short word).

    Args:
        y: the take, float, shape ``(n_samples,)``, values in [-1, 1].
        sr: its sample rate in Hz.
        min_seconds, max_seconds: the accepted length of the whole take, in seconds.
        expect: ``"word"`` when the take should hold one short word (a digit).
    """
    if np.ndim(y) != 1:
        raise ValueError(f"y must be mono, shape (n_samples,), got shape {np.shape(y)}")
    if np.size(y) == 0:
        raise ValueError("y holds no samples (an empty take): record again")
    y = _mono_float32(y)
    sr = _check_int("sr", sr, 1000, 384000)
    min_seconds = _check_fraction("min_seconds", min_seconds, 0.0, MAX_SECONDS_LIMIT)
    if max_seconds is not None:
        max_seconds = _check_fraction("max_seconds", max_seconds, min_seconds, MAX_SECONDS_LIMIT)
    if expect not in ("", "word"):
        raise ValueError(f"expect must be '' or 'word', got {expect!r}")
    problems = []
    seconds = len(y) / sr
    if seconds < min_seconds:
        problems.append(f"The take lasts only {seconds:.2f} s (at least {min_seconds:.1f} s needed): press Record, "
                        f"speak, then press Stop.")
    if max_seconds is not None and seconds > max_seconds + 1e-9:
        problems.append(f"The take lasts {seconds:.1f} s, more than the {max_seconds:.1f} s allowed: record a "
                        f"shorter one.")
    levels = _frame_levels_db(y, sr)
    loudest, quietest = float(levels.max()), float(levels.min())
    if not np.any(y):
        problems.append("The take is digital silence (every sample is 0): the microphone is muted or the wrong one "
                        "is chosen; pick the right input in the browser's site settings and record again.")
    elif loudest < SILENCE_DBFS:
        problems.append(f"The take is silent (its loudest 50 ms reach {loudest:.0f} dBFS): check that the right "
                        f"microphone is chosen and not muted, and speak closer to it.")
    elif loudest - quietest < MIN_DYNAMIC_DB and len(levels) >= 4:
        problems.append(f"Nothing stands out from the background (loudest and quietest 50 ms only "
                        f"{loudest - quietest:.0f} dB apart): speak louder or closer, in a quieter room, "
                        f"with a moment of silence before and after.")
    clipped = int(np.count_nonzero(np.abs(y) >= CLIP_LEVEL))
    if clipped >= 3:
        problems.append(f"The take is clipped ({clipped} samples at full scale): speak softer or move back from "
                        f"the microphone, then record again.")
    if expect == "word" and loudest >= SILENCE_DBFS:
        voiced = np.flatnonzero(levels > loudest - 30)
        span = (voiced[-1] - voiced[0] + 1) * 0.05 if voiced.size else 0.0
        if span > 2.0:
            problems.append(f"The sound spreads over {span:.1f} s, more than one short word: say only the one "
                            f"word, with silence before and after.")
    return problems


@dataclass
class Take:
    """One recording.

    Attributes:
        samples: float32, shape ``(n_samples,)``, values in [-1, 1].
        sr: sample rate in Hz (the browser's, often 48000 or 44100, or the uploaded file's).
        source: ``"microphone"`` or ``"upload: <file name>"`` (or what the code that made it says).
        problems: what :func:`diagnose_take` found, each a sentence saying what to do.
        label: what was said, when known (a guided session sets it); else ``""``.
    """

    samples: np.ndarray
    sr: int
    source: str = "microphone"
    problems: list = field(default_factory=list)
    label: str = ""

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return len(self.samples) / self.sr

    @property
    def ok(self) -> bool:
        """True when :func:`diagnose_take` found nothing wrong."""
        return not self.problems

    def resampled(self, sr: int) -> np.ndarray:
        """The samples at ``sr`` Hz (librosa's default resampler), float32, shape ``(n_samples',)``."""
        sr = _check_int("sr", sr, 1000, 384000)
        if sr == self.sr:
            return self.samples
        import librosa

        return np.ascontiguousarray(librosa.resample(self.samples, orig_sr=self.sr, target_sr=sr), dtype=np.float32)


_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.+-]{0,63}$")


def _check_name(name: str, what: str) -> str:
    if not isinstance(name, str) or not _SAFE_NAME.match(name) or name.endswith("."):
        raise ValueError(f"{what} must be 1 to 64 letters, digits, spaces or _.+- (starting with a letter or digit), "
                         f"got {name!r}")
    return name


def save_take(take: Take, label: str, folder=None, *, prefix: str = "take") -> Path:
    """Save a take as 16-bit WAV in ``<folder>/<label>/<prefix>_<n>.wav``; never overwrite a file.

    ``n`` is the first free number (001, 002, …), claimed atomically: the WAV is written to a temporary
    file in the same folder and linked to its name only if that name is free, so two saves at once, a
    full disk or a crash never leave a half-written or replaced take. The layout is the one
    :func:`course_utils.data.load_folder` reads (one sub-folder per class).

    Args:
        take: the take to save (its samples beyond [-1, 1] are clipped).
        label: the class, i.e. the sub-folder (e.g. ``"7"``).
        folder: where the class folders are; default :func:`recordings_dir` ``/ "my_digits"``.
        prefix: the start of the file name (e.g. the speaker's name).

    Returns:
        The path of the new file.
    """
    import soundfile as sf

    if not isinstance(take, Take):
        raise TypeError(f"take must be a Take (e.g. recorder.take), got {type(take).__name__}")
    _check_name(label, "label")
    _check_name(prefix, "prefix")
    folder = recordings_dir() / "my_digits" if folder is None else Path(folder).expanduser()
    target = folder / label
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OSError(f"cannot make the folder {target} for the take ({error.strerror or error}); "
                      f"choose another folder, or set {RECORDINGS_DIR_ENV}") from error
    descriptor, temporary = tempfile.mkstemp(prefix=".saving-", suffix=".wav", dir=target)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            sf.write(handle, np.clip(take.samples, -1.0, 1.0), int(take.sr), subtype="PCM_16", format="WAV")
        for n in range(1, 100_000):
            path = target / f"{prefix}_{n:03d}.wav"
            try:
                os.link(temporary, path)
            except FileExistsError:
                continue
            except OSError:  # no hard links here (FAT/exFAT, some network or cloud drives): claim, then fill
                try:
                    claimed = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
                except FileExistsError:
                    continue
                os.close(claimed)
                os.replace(temporary, path)  # replaces only the empty file this call just claimed
            return path
        raise OSError(f"{target} already holds 99,999 takes named {prefix}_…: choose another prefix")
    finally:
        with contextlib.suppress(FileNotFoundError):  # moved into place above when there are no hard links
            os.unlink(temporary)


_PICTURE_WIDTH_PX = 640


def _take_picture(take: Take, width_px: int = _PICTURE_WIDTH_PX) -> bytes:
    """Waveform above log-mel spectrogram of a take, as PNG bytes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from course_utils.representations import log_mel_spectrogram

    fig = Figure(figsize=(width_px / 90, 3.6), dpi=90, layout="constrained")
    canvas = FigureCanvasAgg(fig)
    ax_wave, ax_spec = fig.subplots(2, 1, sharex=True)
    y, sr = take.samples, take.sr
    t = np.arange(len(y)) / sr
    step = max(1, len(y) // 4000)  # about 4000 points are enough for the picture's width
    ax_wave.plot(t[::step], y[::step], lw=0.6, color="C0")
    peak = float(np.max(np.abs(y), initial=0.0))
    ax_wave.axhline(0, color="0.6", lw=0.5)
    ax_wave.set(ylim=(-max(1.1 * peak, 0.02), max(1.1 * peak, 0.02)), ylabel="amplitude",
                title=f"{take.source}: {take.duration:.2f} s at {sr} Hz, peak {peak:.2f} (full scale: 1)")
    block = 1 << max(8, int(round(np.log2(sr * 0.025))))  # about 25 ms
    if len(y) >= block:
        S = log_mel_spectrogram(y, sr, block, block // 4, 64)
        ax_spec.imshow(S, origin="lower", aspect="auto", cmap="magma",
                       extent=(0, S.shape[1] * (block // 4) / sr, -0.5, 63.5))
    ax_spec.set(xlabel="time (s)", ylabel="mel band", xlim=(0, max(take.duration, 1e-3)))
    ax_spec.grid(False)
    canvas.draw()
    return png_bytes(np.asarray(canvas.buffer_rgba()))


def _recorder_widget_class():
    """The anywidget class (made on first use, so that importing this module needs no front end)."""
    global _RecorderWidget
    if _RecorderWidget is None:
        import anywidget
        import traitlets

        class RecorderWidget(anywidget.AnyWidget):
            _esm = Path(__file__).with_name("recorder.js")
            max_seconds = traitlets.Float(4.0).tag(sync=True)
            prompt = traitlets.Unicode("").tag(sync=True)
            #: samples per message of a take (4 MB; jupyter-server refuses a websocket message over 10 MiB)
            part_samples = traitlets.Int(1 << 20).tag(sync=True)

        _RecorderWidget = RecorderWidget
    return _RecorderWidget


_RecorderWidget = None
_LIVE: list = []  # weak references to every Recorder made in this kernel, oldest first


def live_recorders() -> list:
    """The recorders alive in this kernel, oldest first (the browser test finds the page's recorder so)."""
    alive = [ref() for ref in _LIVE]
    _LIVE[:] = [ref for ref, recorder in zip(_LIVE, alive) if recorder is not None]
    return [recorder for recorder in alive if recorder is not None]


class Recorder:
    """Record from the microphone (or upload a file) and get the take in the kernel.

    Example::

        recorder = Recorder(max_seconds=3)
        recorder            # displays Record / Stop, the level meter, the upload, the picture and a player
        # ... after a take:
        y, sr = recorder.take.samples, recorder.take.sr

    Args:
        max_seconds: the longest take (0.5 to 60 s); recording stops by itself there, a longer upload is cut.
        min_seconds: takes shorter than this are reported as too short.
        expect: ``"word"`` to report takes that hold more than one short word (see :func:`diagnose_take`).
        show_picture: draw each take's waveform and log-mel spectrogram under the controls.

    Attributes:
        take: the latest :class:`Take`, or ``None``.
        takes: every take of this recorder, oldest first.
        problem: why the microphone could not be used (the page's sentence), or ``""``.
        widget: what a notebook displays.
    """

    def __init__(self, *, max_seconds: float = 4.0, min_seconds: float = 0.3, expect: str = "",
                 show_picture: bool = True):
        self.max_seconds = _check_fraction("max_seconds", max_seconds, 0.5, MAX_SECONDS_LIMIT)
        self.min_seconds = _check_fraction("min_seconds", min_seconds, 0.0, self.max_seconds)
        if expect not in ("", "word"):
            raise ValueError(f"expect must be '' or 'word', got {expect!r}")
        if not isinstance(show_picture, bool):
            raise TypeError(f"show_picture must be True or False, got {show_picture!r}")
        self.expect, self.show_picture = expect, show_picture
        self.takes: list[Take] = []
        self.problem = ""
        self.error: BaseException | None = None
        self._callbacks: list = []
        self._parts: dict = {}  # index -> bytes of a take arriving in parts
        self.mic = _recorder_widget_class()(max_seconds=self.max_seconds)
        self.mic.on_msg(self._on_message)
        self.upload = widgets.FileUpload(accept=",".join(UPLOAD_TYPES), multiple=False,
                                         description="Upload a file", layout=widgets.Layout(width="auto"))
        self.upload.observe(self._on_upload, names="value")
        self.status = widgets.HTML()
        self.picture = widgets.Image(format="png", layout=widgets.Layout(width=f"{_PICTURE_WIDTH_PX}px", max_width="100%",
                                                                         height="auto", display="none"))
        self.player = AudioPlayer("your take")
        self.player.widget.layout.display = "none"
        upload_row = widgets.HBox([widgets.HTML("<span style='color:#555'>or a file (wav, flac, ogg, mp3):</span>"),
                                   self.upload], layout=widgets.Layout(align_items="center"))
        self.widget = widgets.VBox([self.mic, upload_row, self.status, self.picture, self.player.widget])
        self.widget.add_class("course-recorder-panel")
        _LIVE.append(weakref.ref(self))

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)

    @property
    def take(self) -> Take | None:
        """The latest take, or ``None`` before the first."""
        return self.takes[-1] if self.takes else None

    @property
    def prompt(self) -> str:
        """The large text above the buttons (e.g. ``"Say: seven"``)."""
        return self.mic.prompt

    @prompt.setter
    def prompt(self, text: str) -> None:
        if not isinstance(text, str):
            raise TypeError(f"prompt must be a string, got {type(text).__name__}")
        self.mic.prompt = text

    def on_take(self, callback) -> None:
        """Call ``callback(take)`` after every new take (microphone or upload)."""
        if not callable(callback):
            raise TypeError(f"callback must be callable, got {type(callback).__name__}")
        self._callbacks.append(callback)

    # ---- where takes come in
    def _on_message(self, _widget, content, buffers) -> None:
        event = content.get("event") if isinstance(content, dict) else None
        if event == "unavailable":
            self.problem = str(content.get("message", ""))
            reason = str(content.get("reason", "unknown"))
            self._say(f"<b>No microphone here</b> ({html.escape(reason)}; the sentence above says why): choose a "
                      f"recording with <i>Upload a file</i> instead.", error=True)
        elif event == "started":
            self.problem = ""
            self._say(f"Recording at {int(content.get('sr', 0))} Hz… press Stop when you are done.")
        elif event == "part":  # a long take comes in parts (one websocket message may hold at most 10 MiB)
            if buffers:
                self._parts[int(content.get("index", len(self._parts)))] = bytes(buffers[0])
        elif event == "take":
            parts, self._parts = self._parts, {}
            data = b"".join(parts[i] for i in sorted(parts)) if parts else b"".join(bytes(b) for b in buffers or [])
            expected = int(content.get("n_samples", -1))
            if expected == 0:
                self._say("The take is empty: Stop came before any sound arrived. Press Record, speak, then Stop.",
                          error=True)
                return
            if not data or len(data) != 4 * expected or len(parts) != int(content.get("parts", len(parts))):
                self._say("The take did not arrive whole: press Record again.", error=True)
                return
            samples = np.frombuffer(data, dtype="<f4").copy()
            self.receive(samples, int(content.get("sr", 0)), source="microphone")

    def _on_upload(self, change) -> None:
        files = change["new"]
        if not files:
            return
        upload = files[0]
        name = upload.get("name", "") if isinstance(upload, dict) else getattr(upload, "name", "")
        content = upload.get("content", b"") if isinstance(upload, dict) else getattr(upload, "content", b"")
        try:
            y, sr = decode_audio(content, name)
        except ValueError as error:
            self.error = error
            self._say(html.escape(str(error)), error=True)
            return
        finally:
            self.upload.value = ()  # the same file can be chosen again
        self.receive(y, sr, source=f"upload: {name}")

    def receive(self, y, sr: int, *, source: str = "microphone", label: str = "") -> Take:
        """Take in a recording as if it had been recorded: check it, show it, keep it, tell the callbacks.

        The microphone and the upload both end here; code can call it too (e.g. with a stand-in recording
        when no microphone is at hand). A take longer than ``max_seconds`` is cut to its first
        ``max_seconds`` (and says so).

        Args:
            y: samples, float, shape ``(n_samples,)`` (or ``(n_samples, n_channels)``: averaged to mono).
            sr: sample rate in Hz (1000 to 384000).
            source: where the take came from, shown above its picture.
            label: what was said, when known.

        Returns:
            The new :class:`Take` (also ``self.take``).
        """
        y = _mono_float32(y)
        sr = _check_int("sr", sr, 1000, 384000)
        if not isinstance(source, str) or not isinstance(label, str):
            raise TypeError("source and label must be strings")
        notes = []
        limit = int(round(self.max_seconds * sr))
        if len(y) > limit:
            notes.append(f"The take lasts {len(y) / sr:.1f} s; only its first {self.max_seconds:.1f} s are kept.")
            y = y[:limit]
        problems = diagnose_take(y, sr, min_seconds=self.min_seconds, expect=self.expect)
        take = Take(samples=y, sr=sr, source=source, problems=problems, label=label)
        self.takes.append(take)
        self.error = None
        summary = f"Take {len(self.takes)}: {take.duration:.2f} s at {sr} Hz ({html.escape(source)})."
        if problems or notes:
            self._say(summary + "<ul style='margin:2px 0'>" + "".join(f"<li>{html.escape(p)}</li>" for p in notes + problems)
                      + "</ul>", error=bool(problems))
        else:
            self._say(summary + " It sounds usable: play it back below.")
        if len(y):
            self.player.set(y, sr, label=f"take {len(self.takes)}")
            self.player.widget.layout.display = None
        if self.show_picture and len(y):
            self.picture.value = _take_picture(take)
            self.picture.layout.display = None
        for callback in self._callbacks:
            try:
                callback(take)
            except Exception as error:  # noqa: BLE001 - shown, not lost in the front end's log
                self.error = error
                self._say(self.status.value + f"<div style='color:#b3261e'><b>Could not use the take:</b> "
                          f"{html.escape(str(error))}</div>", raw=True)
        return take

    def save(self, label: str, folder=None, *, prefix: str = "take") -> Path:
        """Save the latest take with :func:`save_take` and say where; returns the new file's path."""
        if self.take is None:
            raise ValueError("there is no take to save yet: record one (or upload a file) first")
        path = save_take(self.take, label, folder, prefix=prefix)
        self._say(self.status.value + f"<div>Saved as <code>{html.escape(str(path))}</code>.</div>", raw=True)
        return path

    def _say(self, text: str, *, error: bool = False, raw: bool = False) -> None:
        if raw:
            self.status.value = text
        else:
            colour = "#b3261e" if error else "#1b5e20"
            self.status.value = f"<div style='color:{colour}'>{text}</div>"
