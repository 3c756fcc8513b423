"""Tests of write_manifest.py (numpy and onnx only)."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import sys
import tempfile
import unittest
from pathlib import Path

import onnx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from quantize import quantize_model  # noqa: E402
from test_quantize import normalised, tiny_model  # noqa: E402
import write_manifest  # noqa: E402

LABELS = ["angry", "disgust", "fear", "happy", "sad"]


def main(argv: list[str]) -> int:
    with contextlib.redirect_stdout(io.StringIO()):
        return write_manifest.main(argv)


def model_with_metadata() -> onnx.ModelProto:
    model = tiny_model()
    del model.metadata_props[:]
    model.metadata_props.add(key="labels", value=json.dumps(LABELS))
    model.metadata_props.add(key="preprocessing", value=json.dumps({"layout": "NCHW", "mean": 0.5, "std": 0.25}))
    model.metadata_props.add(key="source_epoch", value="12")
    return model


class WriteManifestTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = Path(self.tmp.name)
        self.float_path = self.dir / "emotion-float.onnx"
        self.int8_path = self.dir / "emotion-int8.onnx"
        model = model_with_metadata()
        onnx.save(model, str(self.float_path))
        quantized, _ = quantize_model(model, normalised(32))
        onnx.save(quantized, str(self.int8_path))

    def tearDown(self):
        self.tmp.cleanup()

    def manifest(self) -> dict:
        return json.loads((self.dir / "manifest.json").read_text())

    def eval_report(self, path: Path, accuracy: float, sha: str | None = None) -> Path:
        sha = sha or hashlib.sha256(self.int8_path.read_bytes()).hexdigest()
        out = self.dir / f"eval-{accuracy}.json"
        out.write_text(json.dumps({"n": 10, "accuracy": accuracy, "perClass": {}, "confusion": [[1]],
                                   "ferPlusMajority": None, "file": "/x/fer2013.csv.gz", "usage": "PublicTest",
                                   "model": {"path": str(path), "sha256": sha}, "imagesPerSecond": 100}))
        return out

    def test_describes_each_model_from_the_file(self):
        self.assertEqual(main(["--models-dir", str(self.dir)]), 0)
        models = self.manifest()["models"]
        self.assertEqual(sorted(models), ["emotion-float.onnx", "emotion-int8.onnx"])
        int8 = models["emotion-int8.onnx"]
        self.assertEqual(int8["sha256"], hashlib.sha256(self.int8_path.read_bytes()).hexdigest())
        self.assertEqual(int8["input"], {"name": "input", "shape": ["N", 1, 8, 8], "layout": "NCHW", "type": "float32",
                                         "normalisation": {"scale": 255, "mean": 0.5, "std": 0.25}})
        self.assertEqual(int8["output"], {"name": "logits", "shape": ["N", 5], "type": "float32", "kind": "logits"})
        self.assertEqual(int8["labels"], LABELS)
        self.assertEqual(int8["quantization"]["format"], "QDQ")
        self.assertNotIn("quantization", models["emotion-float.onnx"])
        self.assertIs(int8["flipTta"], False)
        self.assertIn("quantized to int8", int8["provenance"])
        self.assertTrue(int8["licence"])
        self.assertEqual(models["emotion-float.onnx"]["sourceEpoch"], 12)

    def test_stores_eval_figures_and_keeps_them_while_the_file_is_unchanged(self):
        report = self.eval_report(self.int8_path, 0.7)
        main(["--models-dir", str(self.dir), "--eval", f"emotion-int8.onnx=noTta:{report}",
              "--eval-command", "emotion-int8.onnx=noTta:moodbox eval x", "--flip-tta", "emotion-int8.onnx=true"])
        int8 = self.manifest()["models"]["emotion-int8.onnx"]
        self.assertEqual(int8["accuracy"]["noTta"]["accuracy"], 0.7)
        self.assertEqual(int8["accuracy"]["noTta"]["file"], "fer2013.csv.gz")
        self.assertEqual(int8["accuracy"]["noTta"]["command"], "moodbox eval x")
        self.assertIs(int8["flipTta"], True)
        main(["--models-dir", str(self.dir)])
        again = self.manifest()["models"]["emotion-int8.onnx"]
        self.assertEqual(again["accuracy"]["noTta"]["accuracy"], 0.7)
        self.assertIs(again["flipTta"], True)

    def test_sets_a_denoising_rule_keeps_it_while_the_file_is_unchanged_and_refuses_a_bad_one(self):
        rule = self.dir / "rule.json"
        rule.write_text(json.dumps({"steps": [{"fromNoise": 9, "kernel": [2, 53, 146, 53, 2]}]}))
        main(["--models-dir", str(self.dir), "--denoise", f"emotion-int8.onnx={rule}"])
        self.assertEqual(self.manifest()["models"]["emotion-int8.onnx"]["denoise"]["steps"][0]["fromNoise"], 9)
        self.assertNotIn("denoise", self.manifest()["models"]["emotion-float.onnx"])
        main(["--models-dir", str(self.dir)])
        self.assertEqual(self.manifest()["models"]["emotion-int8.onnx"]["denoise"]["steps"][0]["kernel"], [2, 53, 146, 53, 2])
        main(["--models-dir", str(self.dir), "--denoise", "emotion-int8.onnx=none"])
        self.assertNotIn("denoise", self.manifest()["models"]["emotion-int8.onnx"])
        rule.write_text(json.dumps({"steps": [{"fromNoise": 9, "kernel": [1, 2, 1]}]}))
        with self.assertRaisesRegex(SystemExit, r"steps\[0\]\.kernel must be"):
            main(["--models-dir", str(self.dir), "--denoise", f"emotion-int8.onnx={rule}"])

    def test_sets_label_offsets_keeps_them_while_the_file_is_unchanged_and_refuses_bad_ones(self):
        offsets = self.dir / "offsets.json"
        steps = [{"fromNoise": 0, "offsets": [0.1, -0.1, 0.3, 0.1, 0.0, -0.1, -0.3]},
                 {"fromNoise": 6, "offsets": [0.2, -0.1, 0.2, 0.1, 0.1, -0.2, -0.3]}]
        offsets.write_text(json.dumps({"steps": steps, "fittedOn": "the validation split"}))
        main(["--models-dir", str(self.dir), "--label-offsets", f"emotion-int8.onnx={offsets}"])
        int8 = self.manifest()["models"]["emotion-int8.onnx"]
        self.assertEqual(int8["labelOffsets"], {"steps": steps, "fittedOn": "the validation split"})
        self.assertNotIn("labelOffsets", self.manifest()["models"]["emotion-float.onnx"])
        main(["--models-dir", str(self.dir)])
        self.assertEqual(self.manifest()["models"]["emotion-int8.onnx"]["labelOffsets"]["steps"], steps)
        main(["--models-dir", str(self.dir), "--label-offsets", "emotion-int8.onnx=none"])
        self.assertNotIn("labelOffsets", self.manifest()["models"]["emotion-int8.onnx"])
        offsets.write_text(json.dumps({"steps": [{"fromNoise": 0, "offsets": [0.1, 0.2]}]}))
        with self.assertRaisesRegex(SystemExit, r"steps\[0\]\.offsets must be 7 numbers"):
            main(["--models-dir", str(self.dir), "--label-offsets", f"emotion-int8.onnx={offsets}"])
        offsets.write_text(json.dumps({"steps": [{"fromNoise": 6, "offsets": [0] * 7}, {"fromNoise": 6, "offsets": [0] * 7}]}))
        with self.assertRaisesRegex(SystemExit, r"steps\[1\]\.fromNoise must be"):
            main(["--models-dir", str(self.dir), "--label-offsets", f"emotion-int8.onnx={offsets}"])

    def test_drops_figures_of_a_replaced_file(self):
        main(["--models-dir", str(self.dir), "--eval", f"emotion-int8.onnx=noTta:{self.eval_report(self.int8_path, 0.7)}"])
        model = onnx.load(str(self.int8_path))
        model.doc_string = "retrained"
        onnx.save(model, str(self.int8_path))
        main(["--models-dir", str(self.dir)])
        self.assertEqual(self.manifest()["models"]["emotion-int8.onnx"]["accuracy"], {})

    def test_refuses_figures_measured_on_another_file(self):
        report = self.eval_report(self.int8_path, 0.7, sha="0" * 64)
        with self.assertRaises(SystemExit) as ctx:
            main(["--models-dir", str(self.dir), "--eval", f"emotion-int8.onnx=noTta:{report}"])
        self.assertIn("not the current file", str(ctx.exception))

    def write_run(self, rows: list[dict], **args) -> Path:
        run = self.dir / "run"
        run.mkdir()
        base = {"out": str(run), "epochs": 3, "width": 24, "seed": 0, "threads": 2, "lr": 0.1, "resume": False}
        (run / "args.json").write_text(json.dumps({**base, **args}))
        (run / "metrics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
        return run

    def test_a_requantized_model_keeps_the_training_record_of_its_float_original(self):
        float_sha = hashlib.sha256(self.float_path.read_bytes()).hexdigest()
        model = onnx.load(str(self.int8_path))
        model.metadata_props.add(key="quantized_from", value=json.dumps({"file": "emotion-float.onnx", "sha256": float_sha}))
        onnx.save(model, str(self.int8_path))
        existing = {"models": {"emotion-float.onnx": {"sha256": float_sha, "training": {"bestEpoch": 7}},
                               "emotion-int8.onnx": {"sha256": "0" * 64, "training": {"bestEpoch": 1}}}}
        (self.dir / "manifest.json").write_text(json.dumps(existing))
        main(["--models-dir", str(self.dir)])
        models = self.manifest()["models"]
        self.assertEqual(models["emotion-float.onnx"]["training"], {"bestEpoch": 7})
        self.assertEqual(models["emotion-int8.onnx"]["training"], {"bestEpoch": 7})
        self.assertEqual(models["emotion-int8.onnx"]["quantization"]["from"]["file"], "emotion-float.onnx")

    def test_keeps_figures_from_other_cpus_while_the_file_is_unchanged(self):
        sha = hashlib.sha256(self.int8_path.read_bytes()).hexdigest()
        figures = self.dir / "a72.json"
        figures.write_text(json.dumps({"sha256": sha, "cpu": "cortex-a72", "accuracy": 0.67}))
        main(["--models-dir", str(self.dir), "--other-cpu", f"emotion-int8.onnx=arm64-a72:{figures}"])
        main(["--models-dir", str(self.dir)])
        self.assertEqual(self.manifest()["models"]["emotion-int8.onnx"]["otherCpus"]["arm64-a72"]["accuracy"], 0.67)
        figures.write_text(json.dumps({"sha256": "0" * 64}))
        with self.assertRaises(SystemExit):
            main(["--models-dir", str(self.dir), "--other-cpu", f"emotion-int8.onnx=x:{figures}"])

    def test_records_a_plain_training_run(self):
        run = self.write_run([{"epoch": 1, "test_acc": 0.5}, {"epoch": 2, "test_acc": 0.6}, {"epoch": 3, "test_acc": 0.55}])
        main(["--models-dir", str(self.dir), "--run", str(run)])
        training = self.manifest()["models"]["emotion-int8.onnx"]["training"]
        self.assertEqual(training["command"], f"/usr/bin/python3 scripts/model/train.py --out {run} --epochs 3 "
                                              "--width 24 --seed 0 --threads 2")
        self.assertEqual(training["bestEpoch"], 2)
        self.assertEqual(training["publicTestAccuracyPerEpoch"], [0.5, 0.6, 0.55])
        self.assertNotIn("publicTestAccuracySwaPerEpoch", training)
        self.assertNotIn("resume", training["args"])

    def test_records_a_fine_tuning_run_with_weight_averaging(self):
        rows = [{"epoch": 1, "test_acc": 0.66},
                {"epoch": 2, "test_acc": 0.65, "swa_test_acc": 0.67, "swa_epochs": [2, 2]},
                {"epoch": 3, "test_acc": 0.66, "swa_test_acc": 0.68, "swa_epochs": [2, 3]}]
        run = self.write_run(rows, init="/runs/a/best.pt", schedule="cyclic", lr=0.02, min_lr=0.002,
                             swa_start=2, bn_images=8192)
        main(["--models-dir", str(self.dir), "--run", str(run)])
        training = self.manifest()["models"]["emotion-float.onnx"]["training"]
        self.assertEqual(training["command"], f"/usr/bin/python3 scripts/model/train.py --out {run} --epochs 3 "
                                              "--width 24 --seed 0 --threads 2 --init /runs/a/best.pt --schedule cyclic "
                                              "--lr 0.02 --min-lr 0.002 --swa-start 2 --bn-images 8192")
        self.assertEqual(training["bestEpoch"], 3)
        self.assertEqual(training["bestSwaEpochs"], [2, 3])
        self.assertEqual(training["publicTestAccuracySwaPerEpoch"], [None, 0.67, 0.68])

    def test_records_which_split_chose_what_and_the_temperature(self):
        rows = [{"epoch": 1, "val_acc": 0.60, "test_acc": 0.64},
                {"epoch": 2, "val_acc": 0.62, "test_acc": 0.61},
                {"epoch": 3, "val_acc": 0.61, "test_acc": 0.66}]
        run = self.write_run(rows, val_fraction=0.1, split_seed=0, cutmix_prob=0.3, mixup=0.0)
        split = {"seed": 0, "fraction": 0.1, "train_rows": 25837, "val_rows": 2872,
                 "val_per_class": {"angry": 400}, "val_indices_sha256": "ab" * 32}
        calib = {"temperature": 1.31, "fitted_on": "validation split, flip-TTA", "ece_bins": 15,
                 **{name: {tta: {"ece_before": 0.08, "ece_after": 0.02, "bins_before": [], "bins_after": []}
                           for tta in ("flip_tta", "no_tta")} for name in ("validation", "publictest")}}
        (run / "report.json").write_text(json.dumps({
            "checkpoint": "best.pt", "best_epoch": 2, "accuracy": 0.61, "accuracy_flip_tta": 0.62,
            "val_accuracy": 0.62, "val_accuracy_flip_tta": 0.63, "validation_split": split,
            "temperature": 1.31, "calibration": calib}))
        main(["--models-dir", str(self.dir), "--run", str(run)])
        models = self.manifest()["models"]
        training = models["emotion-float.onnx"]["training"]
        # Epoch 2 has the best validation accuracy; epoch 3's better PublicTest figure must not choose.
        self.assertEqual(training["bestEpoch"], 2)
        self.assertEqual(training["validationAccuracyPerEpoch"], [0.60, 0.62, 0.61])
        self.assertEqual(training["validationSplit"]["val_indices_sha256"], "ab" * 32)
        self.assertEqual(training["selection"]["bestEpoch"], "validation split (accuracy, no TTA)")
        self.assertEqual(training["selection"]["publicTest"], "final measure only, never used for a choice")
        self.assertEqual(training["report"]["calibration"]["validationFlipTta"], {"eceBefore": 0.08, "eceAfter": 0.02})
        self.assertIn("--val-fraction 0.1 --split-seed 0 --cutmix-prob 0.3", training["command"])
        self.assertNotIn("--mixup", training["command"])
        for name in ("emotion-float.onnx", "emotion-int8.onnx"):
            self.assertEqual(models[name]["temperature"], 1.31)
            self.assertIn("2,872 images held out", models[name]["provenance"])
            self.assertNotIn("selected on PublicTest", models[name]["provenance"])
        # Kept on a later write without --run while the files are unchanged.
        main(["--models-dir", str(self.dir)])
        self.assertEqual(self.manifest()["models"]["emotion-int8.onnx"]["temperature"], 1.31)

    def test_refuses_a_split_run_whose_report_lost_the_split(self):
        run = self.write_run([{"epoch": 1, "val_acc": 0.6, "test_acc": 0.6}], val_fraction=0.1)
        (run / "report.json").write_text(json.dumps({"checkpoint": "best.pt", "accuracy": 0.6}))
        with self.assertRaises(SystemExit) as ctx:
            main(["--models-dir", str(self.dir), "--run", str(run)])
        self.assertIn("does not record it", str(ctx.exception))

    def test_refuses_a_model_without_labels(self):
        model = tiny_model()
        del model.metadata_props[:]
        onnx.save(model, str(self.dir / "emotion-other.onnx"))
        with self.assertRaises(SystemExit) as ctx:
            main(["--models-dir", str(self.dir)])
        self.assertIn("no 'labels' metadata", str(ctx.exception))

    def test_leaves_out_models_that_are_not_emotion_models(self):
        model = tiny_model()
        del model.metadata_props[:]
        onnx.save(model, str(self.dir / "face-detection-yunet-n.onnx"))
        self.assertEqual(main(["--models-dir", str(self.dir)]), 0)
        self.assertEqual(sorted(self.manifest()["models"]), ["emotion-float.onnx", "emotion-int8.onnx"])


    def test_stores_accuracy_by_face_size_and_refuses_a_report_of_another_size_or_tta(self):
        def shrunk(size: int, accuracy: float, flip: bool = False) -> Path:
            path = self.eval_report(self.int8_path, accuracy)
            report = json.loads(path.read_text())
            report.update({"faceSize": size, "flipTta": flip})
            out = self.dir / f"eval-{size}.json"
            out.write_text(json.dumps(report))
            return out
        args = ["--models-dir", str(self.dir)]
        self.assertEqual(main(args + ["--size-eval", f"emotion-int8.onnx=16:{shrunk(16, 0.45)}",
                                      "--size-eval", f"emotion-int8.onnx=48:{shrunk(48, 0.68)}"]), 0)
        self.assertEqual(self.manifest()["models"]["emotion-int8.onnx"]["accuracyBySize"], {"48": 0.68, "16": 0.45})
        # Kept while the file is unchanged.
        self.assertEqual(main(args), 0)
        self.assertEqual(self.manifest()["models"]["emotion-int8.onnx"]["accuracyBySize"], {"48": 0.68, "16": 0.45})
        with self.assertRaises(SystemExit):
            main(args + ["--size-eval", f"emotion-int8.onnx=24:{shrunk(16, 0.5)}"])
        with self.assertRaises(SystemExit):
            main(args + ["--size-eval", f"emotion-int8.onnx=24:{shrunk(24, 0.5, flip=True)}"])


if __name__ == "__main__":
    unittest.main()
