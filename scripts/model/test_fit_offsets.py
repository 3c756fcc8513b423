"""Tests for fit_offsets.py: the steps by grain as the daemon takes them, and a fit that undoes a lean."""

import unittest

import numpy as np

from fit_offsets import apply_offsets, fit, probabilities, step_index


class StepsByGrain(unittest.TestCase):
    def test_a_face_takes_the_last_step_its_grain_reaches_as_the_daemon_does(self):
        grains = np.array([0.0, 5.99, 6.0, 9.5, 10.0, 30.0])
        self.assertEqual(step_index(grains, [0, 6, 10]).tolist(), [0, 0, 1, 1, 2, 2])
        self.assertEqual(step_index(np.array([2.0]), [3, 6]).tolist(), [-1])

    def test_offsets_are_added_to_every_view_of_a_face_and_not_below_the_first_step(self):
        views = np.zeros((2, 2, 3))
        rule = {"steps": [{"fromNoise": 3, "offsets": [1.0, 0.0, -1.0]}]}
        out = apply_offsets(views, np.array([1.0, 4.0]), rule)
        self.assertEqual(out[:, 0].tolist(), [[0, 0, 0], [0, 0, 0]])
        self.assertEqual(out[:, 1].tolist(), [[1, 0, -1], [1, 0, -1]])


class Fit(unittest.TestCase):
    def test_undoes_a_lean_to_one_label_that_only_grainy_faces_have(self):
        rng = np.random.default_rng(0)
        n, k = 1500, 4
        labels = rng.integers(0, k, n)
        grains = rng.uniform(0, 20, n)
        clean = rng.normal(0, 1, (n, k))
        clean[np.arange(n), labels] += 1.5
        views = np.stack([clean, clean + rng.normal(0, 0.2, (n, k))])
        grainy = grains >= 10
        views[:, grainy, 0] += 1.5  # grainy faces lean to label 0
        rule = fit(views, grains, labels, [0, 10], steps=300)
        before = (probabilities(views).argmax(1) == labels)[grainy].mean()
        after = (probabilities(apply_offsets(views, grains, rule)).argmax(1) == labels)
        self.assertGreater(after[grainy].mean(), before + 0.1)
        self.assertGreaterEqual(after[~grainy].mean(), (probabilities(views).argmax(1) == labels)[~grainy].mean() - 0.01)
        grainy_offsets = rule["steps"][1]["offsets"]
        self.assertEqual(int(np.argmin(grainy_offsets)), 0)
        self.assertAlmostEqual(sum(grainy_offsets), 0.0, places=3)
        self.assertLess(max(abs(v) for v in rule["steps"][0]["offsets"]), 0.2)

    def test_refuses_faces_below_the_first_step(self):
        with self.assertRaisesRegex(ValueError, "every face needs a step"):
            fit(np.zeros((1, 2, 3)), np.array([1.0, 2.0]), np.array([0, 1]), [1.5])


if __name__ == "__main__":
    unittest.main()
