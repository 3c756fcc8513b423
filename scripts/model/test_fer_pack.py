"""Tests of fer_pack.py (numpy only): the archive gives back the very arrays it was made from."""

from __future__ import annotations

import sys
import tempfile
import unittest
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fer_data import SPLITS, FerSplit  # noqa: E402
from fer_pack import MAGIC, pack, residuals, restore, unpack  # noqa: E402


def _split(rng: np.random.Generator, n: int) -> FerSplit:
    images = rng.integers(0, 256, (n, 48, 48), dtype=np.uint8)
    images[0] = 0
    images[1] = 255
    images[2] = np.tile(np.arange(48, dtype=np.uint8) * 5, (48, 1))  # a smooth ramp
    votes = rng.integers(0, 11, (n, 10)).astype(np.float32)
    has_votes = rng.random(n) < 0.9
    votes[~has_votes] = 0
    return FerSplit(images, rng.integers(0, 7, n).astype(np.int64), votes, has_votes)


class FerPackTest(unittest.TestCase):
    def test_restore_inverts_the_residuals_exactly(self):
        images = _split(np.random.default_rng(0), 20).images
        np.testing.assert_array_equal(restore(residuals(images)), images)

    def test_a_smooth_face_leaves_small_residuals(self):
        ramp = np.tile(np.arange(48, dtype=np.uint8) * 5, (48, 1))[None]
        inner = residuals(ramp)[0, 1:, 1:]
        self.assertTrue((inner == 0).all(), "a plane is predicted exactly")

    def test_the_archive_round_trips_every_field(self):
        rng = np.random.default_rng(1)
        data = {s: _split(rng, n) for s, n in zip(SPLITS, (30, 12))}
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "fer.pack"
            pack(data, path)
            back = unpack(path)
        for s in SPLITS:
            for field in ("images", "labels", "votes", "has_votes"):
                np.testing.assert_array_equal(getattr(back[s], field), getattr(data[s], field))
                self.assertEqual(getattr(back[s], field).dtype, getattr(data[s], field).dtype)

    def test_another_file_is_refused_by_name(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "other.pack"
            path.write_bytes(b"not a pack" + MAGIC)
            with self.assertRaisesRegex(ValueError, "other.pack: not a FER pack"):
                unpack(path)

    def test_a_cut_archive_is_refused_by_name(self):
        rng = np.random.default_rng(2)
        data = {s: _split(rng, 5) for s in SPLITS}
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "cut.pack"
            pack(data, path)
            path.write_bytes(path.read_bytes()[:-100])
            with self.assertRaisesRegex(ValueError, "cut.pack: a damaged FER pack"):
                unpack(path)


if __name__ == "__main__":
    unittest.main()
