"""Tests for choose_soup.py: weight averages and blends, and the rule a candidate must keep to ship."""

import unittest

import numpy as np

import tempfile
from pathlib import Path

from choose_soup import average, blend, main, qualifies


class Averages(unittest.TestCase):
    def test_a_soup_averages_every_weight_and_keeps_counters_from_the_first(self):
        a = {"w": np.array([1.0, 3.0]), "n": np.array(7, dtype=np.int64)}
        b = {"w": np.array([3.0, 5.0]), "n": np.array(9, dtype=np.int64)}
        out = average([a, b], [0.5, 0.5])
        self.assertEqual(out["w"].tolist(), [2.0, 4.0])
        self.assertEqual(int(out["n"]), 7)

    def test_a_blend_gives_the_start_its_share_and_the_fine_tunings_the_rest_alike(self):
        start = {"w": np.array([0.0])}
        tuned = [{"w": np.array([1.0])}, {"w": np.array([3.0])}]
        self.assertAlmostEqual(float(blend(start, tuned, 0.5)["w"][0]), 0.5 * 0 + 0.25 * 1 + 0.25 * 3)
        self.assertAlmostEqual(float(blend(start, tuned, 0.0)["w"][0]), 2.0)

    def test_models_of_other_shapes_or_shares_not_summing_to_one_are_refused(self):
        with self.assertRaisesRegex(ValueError, "differ in their tensors"):
            average([{"w": np.zeros(1)}, {"v": np.zeros(1)}], [0.5, 0.5])
        with self.assertRaisesRegex(ValueError, "summing to 1"):
            average([{"w": np.zeros(1)}, {"w": np.zeros(1)}], [0.5, 0.6])


class Rule(unittest.TestCase):
    START = {"stored": 68.0, "24 px": 65.0, "16 px": 58.0}

    def test_a_candidate_ships_only_within_the_points_allowed_as_stored_and_at_24_px_and_no_lower_at_16_px(self):
        self.assertTrue(qualifies({"stored": 67.8, "24 px": 64.8, "16 px": 58.0}, self.START, 0.3))
        self.assertFalse(qualifies({"stored": 67.6, "24 px": 66.0, "16 px": 59.0}, self.START, 0.3))
        self.assertFalse(qualifies({"stored": 68.5, "24 px": 64.6, "16 px": 59.0}, self.START, 0.3))
        self.assertFalse(qualifies({"stored": 68.5, "24 px": 65.5, "16 px": 57.9}, self.START, 0.3))


class Arguments(unittest.TestCase):
    def test_a_missing_fine_tuning_is_named_before_anything_is_read_or_written(self):
        with tempfile.TemporaryDirectory() as tmp:
            base = Path(tmp, "base.onnx")
            base.write_bytes(b"")
            out = Path(tmp, "soup.pt")
            with self.assertRaisesRegex(SystemExit, "--tuned: .*d9/swa.npz is not a file"):
                main(["--base", str(base), "--tuned", str(Path(tmp, "d9", "swa.npz")), "--out", str(out)])
            self.assertFalse(out.exists())


if __name__ == "__main__":
    unittest.main()
