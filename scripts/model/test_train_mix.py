"""Tests of train.py's mixup / cutmix (needs torch: Debian's python3-torch, as train.py does)."""

from __future__ import annotations

import argparse
import sys
import unittest
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train import mix_batch  # noqa: E402

N, K = 6, 7


def batch() -> tuple[torch.Tensor, torch.Tensor]:
    """Image i is flat with value i, target i one-hot: a pixel's value names the image it came from."""
    x = torch.arange(N, dtype=torch.float32).view(N, 1, 1, 1).expand(N, 1, 48, 48).clone()
    return x, torch.eye(K)[:N]


def args(mixup: float = 0.0, cutmix_prob: float = 0.0) -> argparse.Namespace:
    return argparse.Namespace(mixup=mixup, cutmix_prob=cutmix_prob)


class MixBatchTest(unittest.TestCase):
    def assert_targets_follow_pixels(self, x: torch.Tensor, t: torch.Tensor) -> None:
        # Each image's mean pixel is the target-weighted mean of the source images' values.
        values = torch.arange(K, dtype=torch.float32)
        torch.testing.assert_close(x.mean(dim=(1, 2, 3)), t @ values, atol=1e-5, rtol=0)
        torch.testing.assert_close(t.sum(1), torch.ones(N))

    def test_off_by_default_leaves_the_batch_alone(self):
        x, t = batch()
        mx, mt = mix_batch(x, t, args(), torch.Generator().manual_seed(0))
        self.assertIs(mx, x)
        self.assertIs(mt, t)

    def test_cutmix_pastes_a_box_and_mixes_targets_by_its_area(self):
        pasted = 0
        for seed in range(20):
            x, t = batch()
            mx, mt = mix_batch(x, t, args(cutmix_prob=1.0), torch.Generator().manual_seed(seed))
            self.assert_targets_follow_pixels(mx, mt)
            # Only whole source images' values appear: pasted, not blended.
            self.assertTrue(torch.equal(mx, mx.round()))
            pasted += int((mx != x).any())
            self.assertTrue(torch.equal(x, batch()[0]), "the input batch must not be modified")
        self.assertGreater(pasted, 15)

    def test_mixup_blends_images_and_targets_in_the_same_proportion(self):
        blended = 0
        for seed in range(20):
            x, t = batch()
            mx, mt = mix_batch(x, t, args(mixup=0.4), torch.Generator().manual_seed(seed))
            self.assert_targets_follow_pixels(mx, mt)
            blended += int(not torch.equal(mx, mx.round()))
        self.assertGreater(blended, 15)

    def test_the_same_generator_state_gives_the_same_batch(self):
        x, t = batch()
        a = mix_batch(x, t, args(mixup=0.4, cutmix_prob=0.5), torch.Generator().manual_seed(3))
        b = mix_batch(x, t, args(mixup=0.4, cutmix_prob=0.5), torch.Generator().manual_seed(3))
        self.assertTrue(torch.equal(a[0], b[0]) and torch.equal(a[1], b[1]))


if __name__ == "__main__":
    unittest.main()
