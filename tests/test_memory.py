"""course_utils._memory: releasing the start-up pages of shared libraries (see bench/notebooks.py)."""

import mmap
import sys

import numpy as np
import pytest

from course_utils._memory import _read_only_file_mappings, _resident_bytes, release_library_pages

MAPS = """\
55d0c0a00000-55d0c0a21000 r--p 00000000 fd:01 1234  /usr/bin/python3.11
55d0c0a21000-55d0c0b00000 r-xp 00021000 fd:01 1234  /usr/bin/python3.11
55d0c0c00000-55d0c0c10000 rw-p 00200000 fd:01 1234  /usr/bin/python3.11
55d0c1000000-55d0c2000000 rw-p 00000000 00:00 0     [heap]
7f0000000000-7f0000100000 rw-p 00000000 00:00 0
7f0000200000-7f0000300000 r--p 00000000 00:00 0
7f1000000000-7f1040000000 r-xp 00000000 fd:01 99    /opt/lib/libtensorflow_cc.so.2 (deleted)
7ffd00000000-7ffd00002000 r-xp 00000000 00:00 0     [vdso]
"""


def test_only_read_only_file_mappings_are_chosen():
    ranges = _read_only_file_mappings(MAPS)
    assert ranges == [(0x55D0C0A00000, 0x55D0C0A21000), (0x55D0C0A21000, 0x55D0C0B00000),
                      (0x7F1000000000, 0x7F1040000000)]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self")
def test_a_touched_read_only_file_leaves_the_resident_set(tmp_path):
    size = 64 * 2**20
    path = tmp_path / "library.bin"
    path.write_bytes(np.random.default_rng(0).integers(0, 255, size, dtype=np.uint8).tobytes())
    with open(path, "rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        view = np.frombuffer(mapped, dtype=np.uint8)
        checksum = int(view[::4096].sum())  # touch every page
        before = _resident_bytes()
        released = release_library_pages()
        after = _resident_bytes()
        if released == 0 and before - after < 2**20:
            pytest.skip("this kernel does not support MADV_PAGEOUT (Linux 5.4 or newer)")
        assert before - after > size // 2, (before, after)
        assert int(view[::4096].sum()) == checksum  # the pages come back from the file, unchanged
        del view


def test_the_process_keeps_working_after_a_release():
    assert release_library_pages() >= 0
    x = np.linspace(0, 1, 1000)
    assert np.isclose(np.fft.rfft(x)[0].real, x.sum())
