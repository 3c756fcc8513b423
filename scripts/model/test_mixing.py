"""Tests of mixing.py: mixup / cutmix as train.py applies them (numpy only)."""

from __future__ import annotations

import argparse
import sys
import unittest
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mixing import mix_batch  # noqa: E402

N, K = 6, 7


def batch() -> tuple[np.ndarray, np.ndarray]:
    """Image i is flat with value i, target i one-hot: a pixel's value names the image it came from."""
    x = np.broadcast_to(np.arange(N, dtype=np.float32).reshape(N, 1, 1, 1), (N, 1, 48, 48)).copy()
    return x, np.eye(K, dtype=np.float32)[:N]


def args(mixup: float = 0.0, cutmix_prob: float = 0.0) -> argparse.Namespace:
    return argparse.Namespace(mixup=mixup, cutmix_prob=cutmix_prob)


def rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


class MixBatchTest(unittest.TestCase):
    def assert_targets_follow_pixels(self, x: np.ndarray, t: np.ndarray) -> None:
        # Each image's mean pixel is the target-weighted mean of the source images' values.
        values = np.arange(K, dtype=np.float32)
        np.testing.assert_allclose(x.mean(axis=(1, 2, 3)), t @ values, atol=1e-5, rtol=0)
        np.testing.assert_allclose(t.sum(1), np.ones(N), atol=1e-6, rtol=0)

    def test_off_by_default_leaves_the_batch_alone(self):
        x, t = batch()
        mx, mt = mix_batch(x, t, args(), rng(0))
        self.assertIs(mx, x)
        self.assertIs(mt, t)

    def test_cutmix_pastes_a_box_and_mixes_targets_by_its_area(self):
        pasted = 0
        for seed in range(20):
            x, t = batch()
            mx, mt = mix_batch(x, t, args(cutmix_prob=1.0), rng(seed))
            self.assert_targets_follow_pixels(mx, mt)
            # Only whole source images' values appear: pasted, not blended.
            np.testing.assert_array_equal(mx, mx.round())
            pasted += int((mx != x).any())
            np.testing.assert_array_equal(x, batch()[0], "the input batch must not be modified")
        self.assertGreater(pasted, 15)

    def test_mixup_blends_images_and_targets_in_the_same_proportion(self):
        blended = 0
        for seed in range(20):
            x, t = batch()
            mx, mt = mix_batch(x, t, args(mixup=0.4), rng(seed))
            self.assert_targets_follow_pixels(mx, mt)
            blended += int(not np.array_equal(mx, mx.round()))
            np.testing.assert_array_equal(x, batch()[0], "the input batch must not be modified")
        self.assertGreater(blended, 15)

    def test_the_same_generator_state_gives_the_same_batch(self):
        x, t = batch()
        a = mix_batch(x, t, args(mixup=0.4, cutmix_prob=0.5), rng(3))
        b = mix_batch(x, t, args(mixup=0.4, cutmix_prob=0.5), rng(3))
        np.testing.assert_array_equal(a[0], b[0])
        np.testing.assert_array_equal(a[1], b[1])


if __name__ == "__main__":
    unittest.main()
