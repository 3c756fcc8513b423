"""Tests of low_light.py: the camera model's statistics against its own formulas (numpy only).

The golden values are shared with src/vision/lab/dim-camera.test.ts: the Node camera and this one must
give the same noise-free pictures.
"""

from __future__ import annotations

import sys
import unittest
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import low_light as L  # noqa: E402

RAMP = np.arange(0, 256, 15, dtype=np.uint8)
# The noise-free chain without JPEG (the same lists are in low-light.test.ts).
GOLDEN = {
    (0.04, "auto"): [0, 9, 18, 27, 36, 45, 54, 63, 71, 80, 89, 98, 107, 116, 125, 134, 143, 152],
    (0.04, "fixed"): [0, 3, 7, 10, 14, 17, 21, 24, 28, 31, 35, 38, 42, 45, 49, 52, 56, 59],
    (0.12, "auto"): [0, 15, 29, 44, 59, 74, 88, 103, 118, 133, 147, 162, 177, 191, 206, 221, 236, 250],
}

# A backlit face and a lamp's cast, noise-free, without JPEG: (light, exposure, backlight, cast).
GOLDEN_ROOMS = {
    (0.25, "auto", 4.0, "none"): [0, 8, 16, 24, 32, 40, 48, 56, 64, 72, 80, 88, 96, 104, 112, 120, 128, 136],
    (0.25, "auto", 3.0, "warm"): [0, 9, 18, 27, 36, 46, 55, 64, 73, 82, 91, 100, 109, 118, 127, 137, 146, 155],
    (0.12, "auto", 1.0, "candle"): [0, 14, 29, 43, 58, 72, 86, 101, 115, 130, 144, 158, 173, 187, 201, 216, 230, 245],
    (0.04, "fixed", 1.0, "candle"): [0, 3, 7, 10, 14, 17, 20, 24, 27, 31, 34, 37, 41, 44, 48, 51, 54, 58],
}


def pattern() -> np.ndarray:
    """A 16x16 test picture with edges and texture (the same formula as in low-light.test.ts)."""
    y, x = np.mgrid[0:16, 0:16]
    return ((x * 37 + y * 11 + ((x * y) % 13) * 5) % 256).astype(np.uint8)


# jpeg_grey(pattern(), 75): its sum and its first row (shared with low-light.test.ts).
JPEG_SUM = 30671
JPEG_ROW0 = [0, 45, 76, 101, 150, 188, 211, 6, 41, 75, 110, 157, 192, 220, 12, 44]


class StatisticsTest(unittest.TestCase):
    """A flat grey patch at 4%, 12% and 25% of daylight, 100 faces' worth of pixels."""

    PIXEL = 200  # bright enough that the 4% patch is rarely clipped at black

    def samples(self, light: float, exposure: str, seed: int, backlight: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
        flat = np.full((100, 48, 48), self.PIXEL, dtype=np.uint8)
        linear = L.sensor(flat, light, exposure, np.random.default_rng(seed), backlight=backlight)
        out = L.camera(flat, light, exposure, np.random.default_rng(seed), quality=None)
        return linear, out.astype(np.float64)

    def test_mean_and_variance_follow_the_formulas(self) -> None:
        for light in (0.04, 0.12, 0.25):
            for exposure in ("auto", "fixed"):
                with self.subTest(light=light, exposure=exposure):
                    stats = L.predicted_stats(self.PIXEL, light, exposure)
                    linear, out = self.samples(light, exposure, seed=int(light * 1000))
                    # 230,400 samples: the mean within 1%, the variance within 3% of the formula.
                    self.assertAlmostEqual(linear.mean() / stats["linear_mean"], 1.0, delta=0.01)
                    self.assertAlmostEqual(linear.var() / stats["linear_var"], 1.0, delta=0.03)
                    # After the curve: the delta method, plus the output's rounding (1/12 grey level^2).
                    self.assertAlmostEqual(out.mean(), stats["out_mean"], delta=0.01 * stats["out_mean"])
                    self.assertAlmostEqual(out.var() / (stats["out_var"] + 1 / 12), 1.0, delta=0.08)

    def test_electrons_gain_and_brightness(self) -> None:
        s = L.predicted_stats(255, 0.04, "auto")
        self.assertAlmostEqual(s["electrons"], 40.0)
        self.assertEqual(s["gain"], 8.0)
        self.assertEqual(L.predicted_stats(255, 0.25, "auto")["gain"], 4.0)
        self.assertEqual(L.predicted_stats(255, 0.04, "fixed")["gain"], 1.0)
        self.assertEqual(L.predicted_stats(255, 1.0, "auto")["electrons"], 1000.0)
        # Daylight, noise-free: the picture comes back as it was.
        self.assertEqual(L.camera(RAMP, 1.0, "auto", quality=None, noise=False).tolist(), RAMP.tolist())

    def test_a_bright_background_darkens_the_face(self) -> None:
        # In daylight before a window 4x brighter the exposure is cut to a quarter; at 4% of
        # daylight the gain stops at 6.25x where the face alone would get 8x.
        self.assertEqual(L.exposure_for(1.0, "auto", 4.0), (0.25, 1.0))
        self.assertEqual(L.exposure_for(0.04, "auto", 4.0), (1.0, 6.25))
        self.assertEqual(L.exposure_for(0.04, "fixed", 4.0), (1.0, 1.0))
        lit = L.predicted_stats(self.PIXEL, 0.25, "auto")
        backlit = L.predicted_stats(self.PIXEL, 0.25, "auto", backlight=4.0)
        self.assertLess(backlit["out_mean"], 0.6 * lit["out_mean"])
        linear, _ = self.samples(0.25, "auto", seed=9, backlight=4.0)
        self.assertAlmostEqual(linear.mean() / backlit["linear_mean"], 1.0, delta=0.01)
        self.assertAlmostEqual(linear.var() / backlit["linear_var"], 1.0, delta=0.03)

    def test_a_warm_lamp_adds_the_grain_white_balance_lifts(self) -> None:
        flat = np.full((100, 48, 48), self.PIXEL, dtype=np.uint8)
        grey = L.camera(flat, 0.12, "auto", np.random.default_rng(3), quality=None).astype(np.float64)
        warm = L.camera(flat, 0.12, "auto", np.random.default_rng(3), quality=None, cast="warm").astype(np.float64)
        candle = L.camera(flat, 0.12, "auto", np.random.default_rng(3), quality=None, cast="candle").astype(np.float64)
        self.assertAlmostEqual(warm.mean(), grey.mean(), delta=1.0)  # white balance takes the cast out
        self.assertLess(candle.mean(), grey.mean() - 3)  # but not a candle's: its blue is lifted only 2.5x
        self.assertGreater(warm.var(), 1.05 * grey.var())
        self.assertGreater(candle.var(), warm.var())

    def test_jpeg_keeps_the_mean_brightness(self) -> None:
        flat = np.full((100, 48, 48), self.PIXEL, dtype=np.uint8)
        raw = L.camera(flat, 0.12, "auto", np.random.default_rng(5), quality=None).astype(np.float64)
        coded = L.camera(flat, 0.12, "auto", np.random.default_rng(5)).astype(np.float64)
        self.assertAlmostEqual(coded.mean(), raw.mean(), delta=1.0)
        self.assertLess(coded.var(), raw.var())  # quality 75 drops some of the fine noise


class ChainTest(unittest.TestCase):
    def test_noise_free_golden_values(self) -> None:
        for (light, exposure), expected in GOLDEN.items():
            got = L.camera(RAMP, light, exposure, quality=None, noise=False).tolist()
            self.assertEqual(got, expected, f"light {light}, {exposure}")

    def test_backlit_and_cast_golden_values(self) -> None:
        for (light, exposure, backlight, cast), expected in GOLDEN_ROOMS.items():
            got = L.camera(RAMP, light, exposure, quality=None, noise=False, backlight=backlight, cast=cast).tolist()
            self.assertEqual(got, expected, f"light {light}, {exposure}, backlight {backlight}, {cast}")

    def test_jpeg_golden_values(self) -> None:
        out = L.jpeg_grey(pattern(), 75)
        self.assertEqual(int(out.astype(np.int64).sum()), JPEG_SUM)
        self.assertEqual(out[0].tolist(), JPEG_ROW0)

    def test_jpeg_leaves_a_flat_block_and_a_partial_block(self) -> None:
        self.assertEqual(L.jpeg_grey(np.full((8, 8), 77, np.uint8), 75).tolist(), np.full((8, 8), 77).tolist())
        odd = L.jpeg_grey(np.full((3, 10, 13), 140, np.uint8), 50)
        self.assertEqual(odd.shape, (3, 10, 13))
        self.assertTrue((odd == 140).all())

    def test_seeded(self) -> None:
        faces = np.tile(RAMP[None, None, :], (2, 18, 1))
        a = L.camera(faces, 0.06, "auto", np.random.default_rng(7))
        b = L.camera(faces, 0.06, "auto", np.random.default_rng(7))
        c = L.camera(faces, 0.06, "auto", np.random.default_rng(8))
        self.assertTrue((a == b).all())
        self.assertFalse((a == c).all())

    def test_refuses_bad_settings(self) -> None:
        with self.assertRaises(ValueError):
            L.gain_for(0.0, "auto")
        with self.assertRaises(ValueError):
            L.gain_for(0.5, "manual")
        with self.assertRaises(ValueError):
            L.camera(RAMP, 0.5, "auto", rng=None)
        with self.assertRaises(ValueError):
            L.quantisation_table(0)
        with self.assertRaises(ValueError):
            L.exposure_for(0.5, "auto", 0.5)
        with self.assertRaises(ValueError):
            L.camera(RAMP, 0.5, "auto", quality=None, noise=False, cast="neon")


class AugmentTest(unittest.TestCase):
    def test_draws_within_the_ranges_and_is_seeded(self) -> None:
        x = np.tile(np.linspace(0, 1, 48, dtype=np.float32)[None, None, :], (64, 48, 1))
        a, lights = L.augment_batch(x, np.random.default_rng(3), light_min=0.03, light_max=1.0)
        b, _ = L.augment_batch(x, np.random.default_rng(3), light_min=0.03, light_max=1.0)
        self.assertEqual(a.shape, x.shape)
        self.assertEqual(a.dtype, np.float32)
        self.assertTrue((a >= 0).all() and (a <= 1).all())
        self.assertTrue(((lights >= 0.03) & (lights <= 1.0)).all())
        self.assertTrue((a == b).all())
        # Log-uniform: about half of the lights below sqrt(0.03) = 0.17.
        _, many = L.augment_batch(np.zeros((2000, 8, 8), np.float32), np.random.default_rng(4))
        self.assertAlmostEqual(float((many < np.sqrt(0.03)).mean()), 0.5, delta=0.05)

    def test_backlit_faces_come_out_darker_and_lamps_grainier(self) -> None:
        x = np.full((400, 16, 16), 0.7, np.float32)
        plain, _ = L.augment_batch(x, np.random.default_rng(5), light_min=0.3, light_max=0.3, fixed_prob=0.0,
                                   gamma_jitter=0.0, jpeg_min=95, jpeg_max=95)
        backlit, _ = L.augment_batch(x, np.random.default_rng(5), light_min=0.3, light_max=0.3, fixed_prob=0.0,
                                     gamma_jitter=0.0, jpeg_min=95, jpeg_max=95, backlight_prob=1.0)
        self.assertLess(backlit.mean(), 0.8 * plain.mean())
        self.assertTrue(((backlit >= 0) & (backlit <= 1)).all())
        warm, _ = L.augment_batch(x, np.random.default_rng(5), light_min=0.3, light_max=0.3, fixed_prob=0.0,
                                  gamma_jitter=0.0, jpeg_min=95, jpeg_max=95, cast_prob=1.0)
        self.assertGreater(warm.var(axis=(1, 2)).mean(), 1.05 * plain.var(axis=(1, 2)).mean())


if __name__ == "__main__":
    unittest.main()
