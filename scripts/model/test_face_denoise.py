"""Tests of face_denoise.py, the twin of src/vision/denoise-crop.ts (numpy only).

The daemon's side compares against `denoise-golden.json`, which make_test_fixtures.py writes with
this module: here the module is held to what the fixture and the rule promise.
"""

from __future__ import annotations

import base64
import json
import sys
import unittest
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import face_denoise as D  # noqa: E402

GOLDEN = Path(__file__).resolve().parents[2] / "src" / "vision" / "testing" / "fixtures" / "denoise-golden.json"


def faces() -> tuple[dict, np.ndarray]:
    golden = json.loads(GOLDEN.read_text())
    batch = np.stack([np.frombuffer(base64.b64decode(f), np.uint8).reshape(48, 48) for f in golden["faces"]])
    return golden, batch


class KernelTest(unittest.TestCase):
    def test_weights_are_whole_symmetric_and_sum_to_256(self):
        for sigma in (0.3, 0.5, 0.7, 0.9, 1.2, 1.4):
            k = D.kernel_for(sigma)
            self.assertEqual(sum(k), 256)
            self.assertEqual(k, k[::-1])
            self.assertEqual(len(k) % 2, 1)
            self.assertLessEqual(len(k), 9)
            self.assertTrue(all(isinstance(w, int) and w >= 0 for w in k))

    def test_a_wider_sigma_spreads_the_weight(self):
        self.assertGreater(D.kernel_for(0.5)[len(D.kernel_for(0.5)) // 2], D.kernel_for(0.9)[len(D.kernel_for(0.9)) // 2])

    def test_refuses_a_sigma_beyond_a_light_blur(self):
        with self.assertRaises(ValueError):
            D.kernel_for(3.0)


class DenoiseTest(unittest.TestCase):
    def test_matches_the_fixture_the_daemon_is_held_to(self):
        golden, batch = faces()
        self.assertEqual(D.grain(batch), golden["grain"])
        out = D.denoise(batch, golden["rule"]["steps"])
        self.assertEqual([base64.b64encode(f.tobytes()).decode() for f in out], golden["denoised"])

    def test_a_flat_face_stays_flat_and_a_clean_one_unchanged(self):
        flat = np.full((1, 48, 48), 77, np.uint8)
        for k in (D.kernel_for(0.5), D.kernel_for(1.2)):
            np.testing.assert_array_equal(D.blur(flat, k), flat)
        _, batch = faces()
        steps = [{"fromNoise": 1000, "kernel": D.kernel_for(0.7)}]
        np.testing.assert_array_equal(D.denoise(batch, steps), batch)

    def test_blurring_takes_grain_away(self):
        rng = np.random.default_rng(0)
        noisy = np.clip(128 + rng.normal(0, 20, (4, 48, 48)), 0, 255).astype(np.uint8)
        before = np.asarray(D.grain(noisy))
        after = np.asarray(D.grain(D.blur(noisy, D.kernel_for(0.9))))
        self.assertTrue(np.all(after < before / 2))


if __name__ == "__main__":
    unittest.main()
