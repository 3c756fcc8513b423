"""Tests of swa.py (numpy only)."""

from __future__ import annotations

import math
import sys
import unittest
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from swa import cyclic_lr, update_average  # noqa: E402


class CyclicLrTest(unittest.TestCase):
    def test_every_epoch_starts_at_the_peak_and_decreases_towards_low(self):
        spe, peak, low = 10, 0.02, 0.002
        for epoch in range(3):
            lrs = [cyclic_lr(epoch * spe + i, spe, peak, low) for i in range(spe)]
            self.assertAlmostEqual(lrs[0], peak)
            self.assertTrue(all(a > b for a, b in zip(lrs, lrs[1:])), lrs)
            self.assertGreater(lrs[-1], low)
            self.assertLess(lrs[-1], low + 0.03 * (peak - low))
            # Half way through the epoch: the middle of the range.
            self.assertAlmostEqual(lrs[spe // 2], (peak + low) / 2)

    def test_matches_the_cosine_formula(self):
        spe, peak, low = 7, 0.1, 0.01
        for step in range(30):
            t = (step % spe) / spe
            self.assertAlmostEqual(cyclic_lr(step, spe, peak, low), low + (peak - low) * (1 + math.cos(math.pi * t)) / 2)

    def test_constant_when_low_equals_peak(self):
        self.assertEqual({cyclic_lr(s, 5, 0.01, 0.01) for s in range(12)}, {0.01})

    def test_rejects_bad_arguments(self):
        with self.assertRaises(ValueError):
            cyclic_lr(0, 0, 0.1, 0.01)
        with self.assertRaises(ValueError):
            cyclic_lr(0, 10, 0.01, 0.1)


class UpdateAverageTest(unittest.TestCase):
    def snapshots(self, n: int) -> list[dict]:
        rng = np.random.default_rng(0)
        return [{"conv.weight": rng.normal(size=(4, 1, 3, 3)).astype(np.float32),
                 "fc.bias": rng.normal(size=7).astype(np.float32)} for _ in range(n)]

    def test_running_mean_equals_the_plain_mean(self):
        snaps = self.snapshots(9)
        avg = None
        for n, snap in enumerate(snaps):
            avg = update_average(avg, snap, n)
            for k in snap:
                np.testing.assert_allclose(avg[k], np.mean([s[k] for s in snaps[:n + 1]], axis=0), rtol=1e-5, atol=1e-6)

    def test_the_first_snapshot_is_copied_not_aliased(self):
        snap = self.snapshots(1)[0]
        avg = update_average(None, snap, 0)
        before = avg["fc.bias"].copy()
        snap["fc.bias"] += 1.0  # the training loop keeps updating its weights in place
        np.testing.assert_array_equal(avg["fc.bias"], before)

    def test_resuming_from_a_saved_average_gives_the_same_result(self):
        snaps = self.snapshots(6)
        straight = None
        for n, snap in enumerate(snaps):
            straight = update_average(straight, snap, n)
        saved = None
        for n, snap in enumerate(snaps[:3]):
            saved = update_average(saved, snap, n)
        saved = {k: v.copy() for k, v in saved.items()}  # as if written to last.pt and read back
        for n, snap in enumerate(snaps[3:], start=3):
            saved = update_average(saved, snap, n)
        for k in straight:
            np.testing.assert_array_equal(saved[k], straight[k])

    def test_rejects_mismatched_snapshots(self):
        a, b = self.snapshots(2)
        del b["fc.bias"]
        with self.assertRaises(ValueError):
            update_average(a, b, 1)
        with self.assertRaises(ValueError):
            update_average(None, a, 3)
        with self.assertRaises(ValueError):
            update_average(a, a, -1)


if __name__ == "__main__":
    unittest.main()
