"""Tests of calibration.py: temperature scaling and expected calibration error (numpy only)."""

from __future__ import annotations

import sys
import unittest
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from calibration import (calibration_bins, expected_calibration_error, fit_temperature, nll,  # noqa: E402
                         softmax, tta_probs)


def sample(n: int, k: int, true_t: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Logits z with labels drawn from softmax(z / true_t): calibrated exactly at T = true_t."""
    rs = np.random.RandomState(seed)
    z = rs.normal(0, 3, size=(n, k))
    p = softmax(z, true_t)
    labels = np.array([rs.choice(k, p=row) for row in p])
    return z, labels


class FitTemperatureTest(unittest.TestCase):
    def test_recovers_the_temperature_that_generated_the_labels(self):
        for true_t in (0.5, 1.0, 2.5):
            z, labels = sample(6000, 7, true_t, seed=1)
            t = fit_temperature([z], labels)
            self.assertAlmostEqual(t, true_t, delta=0.12 * true_t)

    def test_overconfident_logits_get_a_temperature_above_one_and_a_lower_ece(self):
        z, labels = sample(5000, 7, 1.0, seed=2)
        hot = 2.0 * z  # a model twice as confident as it should be
        t = fit_temperature([hot], labels)
        self.assertGreater(t, 1.7)
        before = expected_calibration_error(softmax(hot), labels)
        after = expected_calibration_error(softmax(hot, t), labels)
        self.assertLess(after, before / 2)
        self.assertLess(nll(softmax(hot, t), labels), nll(softmax(hot), labels))

    def test_with_two_views_it_minimises_the_nll_of_their_averaged_softmax(self):
        z, labels = sample(3000, 7, 1.0, seed=3)
        mirror = z + np.random.RandomState(4).normal(0, 0.5, size=z.shape)
        views = [1.5 * z, 1.5 * mirror]
        t = fit_temperature(views, labels)
        best = nll(tta_probs(views, t), labels)
        for other in (0.8 * t, 0.95 * t, 1.05 * t, 1.25 * t):
            self.assertLessEqual(best, nll(tta_probs(views, other), labels) + 1e-9)

    def test_rejects_views_that_do_not_match_the_labels(self):
        with self.assertRaisesRegex(ValueError, "views"):
            fit_temperature([np.zeros((5, 7))], np.zeros(4, dtype=int))
        with self.assertRaisesRegex(ValueError, "views"):
            fit_temperature([], np.zeros(4, dtype=int))


class CalibrationErrorTest(unittest.TestCase):
    def test_a_hand_computed_example(self):
        # Two rows at confidence 0.9 (one right), two at 0.6 (both right): |0.5-0.9|/2 + |1-0.6|/2.
        probs = np.array([[0.9, 0.1], [0.9, 0.1], [0.4, 0.6], [0.4, 0.6]])
        labels = np.array([0, 1, 1, 1])
        self.assertAlmostEqual(expected_calibration_error(probs, labels), 0.2 + 0.2)
        bins = [b for b in calibration_bins(probs, labels) if b["rows"]]
        self.assertEqual([(b["rows"], b["accuracy"]) for b in bins], [(2, 1.0), (2, 0.5)])
        self.assertEqual(len(calibration_bins(probs, labels)), 15)

    def test_perfectly_calibrated_data_has_an_ece_near_zero(self):
        z, labels = sample(20000, 7, 1.0, seed=5)
        self.assertLess(expected_calibration_error(softmax(z), labels), 0.02)

    def test_a_confidence_of_one_lands_in_the_last_bin(self):
        bins = calibration_bins(np.array([[1.0, 0.0]]), np.array([0]))
        self.assertEqual(bins[-1]["rows"], 1)


if __name__ == "__main__":
    unittest.main()
