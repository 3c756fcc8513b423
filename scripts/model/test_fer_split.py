"""Tests of fer_split.py, the validation split that makes every training choice (numpy only)."""

from __future__ import annotations

import sys
import unittest
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fer_split import describe_split, indices_sha256, stratified_split  # noqa: E402

# Roughly FER-2013 Training's class sizes, scaled down (disgust is the rare class).
COUNTS = [399, 44, 410, 722, 483, 317, 497]
LABELS = np.random.RandomState(7).permutation(np.repeat(np.arange(7), COUNTS))
NAMES = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]


class StratifiedSplitTest(unittest.TestCase):
    def test_train_and_validation_are_disjoint_and_cover_every_row(self):
        train, val = stratified_split(LABELS, 0.1, 0)
        self.assertEqual(np.intersect1d(train, val).size, 0)
        self.assertEqual(np.union1d(train, val).tolist(), list(range(LABELS.size)))
        self.assertEqual(train.size + val.size, LABELS.size)

    def test_every_class_keeps_its_share(self):
        _, val = stratified_split(LABELS, 0.1, 0)
        per_class = np.bincount(LABELS[val], minlength=7)
        self.assertEqual(per_class.tolist(), [round(0.1 * c) for c in COUNTS])
        # The rare class is represented too, in proportion.
        self.assertEqual(per_class[1], 4)

    def test_same_seed_same_split_and_another_seed_another(self):
        a = stratified_split(LABELS, 0.1, 3)[1]
        b = stratified_split(LABELS.copy(), 0.1, 3)[1]
        c = stratified_split(LABELS, 0.1, 4)[1]
        np.testing.assert_array_equal(a, b)
        self.assertEqual(indices_sha256(a), indices_sha256(b))
        self.assertFalse(np.array_equal(a, c))
        self.assertNotEqual(indices_sha256(a), indices_sha256(c))
        # Same per-class counts whatever the seed: only the rows change.
        self.assertEqual(np.bincount(LABELS[a]).tolist(), np.bincount(LABELS[c]).tolist())

    def test_the_fraction_sets_the_size(self):
        _, val = stratified_split(LABELS, 0.25, 0)
        self.assertEqual(np.bincount(LABELS[val], minlength=7).tolist(), [round(0.25 * c) for c in COUNTS])

    def test_a_class_of_two_rows_gives_one_and_keeps_one(self):
        labels = np.array([0] * 100 + [1, 1])
        train, val = stratified_split(labels, 0.1, 0)
        self.assertEqual(int((labels[val] == 1).sum()), 1)
        self.assertEqual(int((labels[train] == 1).sum()), 1)

    def test_rejects_a_fraction_outside_0_1(self):
        for bad in (0.0, 1.0, -0.1, 1.5):
            with self.assertRaisesRegex(ValueError, "fraction"):
                stratified_split(LABELS, bad, 0)

    def test_rejects_labels_that_are_not_one_dimensional(self):
        with self.assertRaisesRegex(ValueError, "labels"):
            stratified_split(LABELS.reshape(-1, 1), 0.1, 0)


class DescribeSplitTest(unittest.TestCase):
    def test_records_seed_fraction_counts_and_the_hash_of_the_held_out_rows(self):
        train, val = stratified_split(LABELS, 0.1, 5)
        record = describe_split(LABELS, 0.1, 5, train, val, NAMES)
        self.assertEqual((record["seed"], record["fraction"]), (5, 0.1))
        self.assertEqual((record["train_rows"], record["val_rows"]), (train.size, val.size))
        self.assertEqual(record["val_per_class"]["disgust"], 4)
        self.assertEqual(sum(record["val_per_class"].values()), val.size)
        self.assertEqual(record["val_indices_sha256"], indices_sha256(val))
        self.assertRegex(record["val_indices_sha256"], "^[0-9a-f]{64}$")

    def test_the_hash_ignores_order_but_not_membership(self):
        idx = np.array([5, 1, 9])
        self.assertEqual(indices_sha256(idx), indices_sha256(np.array([1, 5, 9])))
        self.assertNotEqual(indices_sha256(idx), indices_sha256(np.array([1, 5, 8])))


if __name__ == "__main__":
    unittest.main()
