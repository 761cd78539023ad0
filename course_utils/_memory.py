"""Keep a notebook's resident memory near what it really uses (Binder gives a student 1-2 GB).

Importing TensorFlow maps its shared libraries (``libtensorflow_cc.so`` alone is about 1 GB on disk) and
runs their start-up code, which touches some 0.4 GB of their pages once: registering thousands of
operations and kernels. Those pages then stay resident although training uses a small part of them
(measured on Linux 6.18 with TensorFlow 2.20: 0.42 GB of library pages after ``import tensorflow``,
0.07 GB after the same pages were released and a Keras model trained and predicted). Linux would
reclaim them under memory pressure anyway; :func:`release_library_pages` asks it to do so at once
(``madvise(MADV_PAGEOUT)``, Linux 5.4 or newer), so that a notebook's peak resident set shows its
working set, not its start-up. A page that is needed again is read back from the file, as after any
reclaim; nothing the program wrote can be lost, because only read-only mappings of files are touched.
"""

from __future__ import annotations

import ctypes
import functools
import os
import sys

_MADV_PAGEOUT = 21  # <linux/mman.h>


@functools.lru_cache(maxsize=1)
def _libc():
    # The running program's own symbols include the C library's. (ctypes.util.find_library would run
    # ldconfig in a subprocess: a fork of a 1 GB kernel, counted twice by any memory sampler.)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    libc.madvise.restype = ctypes.c_int
    return libc


def _read_only_file_mappings(maps_text: str) -> list[tuple[int, int]]:
    """(start, end) of every mapping in ``/proc/self/maps`` text that is a file and not writable."""
    ranges = []
    for line in maps_text.splitlines():
        parts = line.split(maxsplit=5)
        if len(parts) < 6 or not parts[5].startswith("/") or "w" in parts[1]:
            continue  # anonymous memory, [heap]/[stack]/[vdso], or a writable (possibly private dirty) mapping
        start, end = (int(address, 16) for address in parts[0].split("-"))
        ranges.append((start, end))
    return ranges


def _resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def release_library_pages() -> int:
    """Release the resident pages of this process's read-only file mappings (shared libraries).

    Returns:
        The bytes by which the resident set shrank (0 where the system does not support it: not Linux,
        a kernel older than 5.4, or ``/proc`` unreadable). Never raises.
    """
    if not sys.platform.startswith("linux"):
        return 0
    try:
        before = _resident_bytes()
        with open("/proc/self/maps") as maps:
            ranges = _read_only_file_mappings(maps.read())
        libc = _libc()
        for start, end in ranges:
            libc.madvise(start, end - start, _MADV_PAGEOUT)  # EINVAL (no MADV_PAGEOUT, or a locked range): left as is
        return max(0, before - _resident_bytes())
    except (OSError, ValueError, AttributeError):
        return 0


def _malloc_trim() -> int:
    """Hand the C heap's free memory back to the system (glibc's ``malloc_trim``); 1 if any was returned."""
    if not sys.platform.startswith("linux"):
        return 0
    try:
        trim = _libc().malloc_trim
        trim.argtypes = [ctypes.c_size_t]
        return int(trim(0))
    except (OSError, AttributeError):  # a C library without malloc_trim (e.g. musl)
        return 0


def release_memory() -> int:
    """After a large step (a training, a feature extraction): collect garbage, return freed heap, drop start-up pages.

    A Keras training allocates its batches, gradients and traced functions in C; once it is over, the
    memory is free but glibc keeps it (measured: 0.12 GB after six trainings of notebook 06), and tracing
    touched library code that is not needed again. This gives both back to the system.

    Returns:
        The bytes by which the resident set shrank (0 where unsupported). Never raises.
    """
    import gc

    try:
        before = _resident_bytes()
    except (OSError, ValueError):
        return 0
    gc.collect()
    _malloc_trim()
    release_library_pages()
    try:
        return max(0, before - _resident_bytes())
    except (OSError, ValueError):
        return 0
