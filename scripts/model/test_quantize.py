"""Tests of quantize.py and onnx_numpy.py on tiny hand-built models (numpy and onnx only).

    /usr/bin/python3 -m unittest discover -s scripts/model -p 'test_*.py'
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from onnx_numpy import dequantize_linear, quantize_linear, run_graph, run_numpy  # noqa: E402
from quantize import (QuantizeError, activation_params, quantize_bias, quantize_model,  # noqa: E402
                      quantize_weight)

SIZE = 8


def tiny_model(seed: int = 0, trans_b: int = 1, relu_after_second_conv: bool = True) -> onnx.ModelProto:
    """input [N,1,8,8] -> Conv(1->3) -> Relu -> MaxPool -> Conv(3->4) -> Relu -> GAP -> Flatten -> Gemm(4->5).

    Channel magnitudes differ by orders of magnitude, so one scale per tensor would not do.
    """
    rng = np.random.default_rng(seed)
    w1 = rng.normal(size=(3, 1, 3, 3)) * np.array([0.3, 1.0, 4.0]).reshape(3, 1, 1, 1)
    b1 = rng.normal(size=3) * 0.1
    w2 = rng.normal(size=(4, 3, 3, 3)) * np.array([0.2, 0.5, 2.0, 0.1]).reshape(4, 1, 1, 1)
    b2 = rng.normal(size=4) * 0.1
    w3 = rng.normal(size=(5, 4)) * np.array([1.0, 0.1, 3.0, 0.5, 0.02]).reshape(5, 1)
    b3 = rng.normal(size=5)
    inits = [numpy_helper.from_array(a.astype(np.float32), n) for a, n in (
        (w1, "w1"), (b1, "b1"), (w2, "w2"), (b2, "b2"), (w3 if trans_b else w3.T, "w3"), (b3, "b3"))]
    nodes = [
        helper.make_node("Conv", ["input", "w1", "b1"], ["c1"], name="conv1", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
        helper.make_node("MaxPool", ["r1"], ["p1"], name="pool1", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["p1", "w2", "b2"], ["c2"], name="conv2", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
    ]
    last = "c2"
    if relu_after_second_conv:
        nodes.append(helper.make_node("Relu", ["c2"], ["r2"], name="relu2"))
        last = "r2"
    nodes += [
        helper.make_node("GlobalAveragePool", [last], ["g"], name="gap"),
        helper.make_node("Flatten", ["g"], ["f"], name="flatten", axis=1),
        helper.make_node("Gemm", ["f", "w3", "b3"], ["logits"], name="fc", transB=trans_b),
    ]
    graph = helper.make_graph(
        nodes, "tiny",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 1, SIZE, SIZE])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 5])], initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    model.metadata_props.add(key="preprocessing", value=json.dumps({"mean": 0.5, "std": 0.25}))
    onnx.checker.check_model(model, full_check=True)
    return model


def images(n: int, seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, size=(n, SIZE, SIZE), dtype=np.uint8)


def normalised(n: int, seed: int = 1) -> np.ndarray:
    return ((images(n, seed).astype(np.float32) / 255 - 0.5) / 0.25)[:, None]


def by_output(model: onnx.ModelProto) -> dict[str, onnx.NodeProto]:
    return {o: n for n in model.graph.node for o in n.output}


def init(model: onnx.ModelProto, name: str) -> np.ndarray:
    return next(numpy_helper.to_array(t) for t in model.graph.initializer if t.name == name)


def attr(node: onnx.NodeProto, name: str, default=None):
    return next((helper.get_attribute_value(a) for a in node.attribute if a.name == name), default)


class QuantizeLinearOpsTest(unittest.TestCase):
    def test_quantize_rounds_half_to_even_and_saturates(self):
        q = quantize_linear(np.array([0.5, 1.5, 2.5, -0.5, 300.0, -300.0]), np.array(1.0), np.array(0, np.int8))
        np.testing.assert_array_equal(q, np.array([0, 2, 2, 0, 127, -128], np.int8))
        u = quantize_linear(np.array([-1.0, 0.0, 1.0, 1000.0]), np.array(0.5), np.array(10, np.uint8))
        np.testing.assert_array_equal(u, np.array([8, 10, 12, 255], np.uint8))
        self.assertEqual(u.dtype, np.uint8)

    def test_per_axis_dequantize_scales_each_channel(self):
        q = np.array([[1, 2], [1, 2], [1, 2]], np.int8)
        got = dequantize_linear(q, np.array([1.0, 10.0, 100.0]), np.zeros(3, np.int8), axis=0)
        np.testing.assert_array_equal(got, [[1, 2], [10, 20], [100, 200]])
        got = dequantize_linear(q, np.array([1.0, 0.5]), np.array([1, 0], np.int8), axis=1)
        np.testing.assert_array_equal(got, [[0, 1], [0, 1], [0, 1]])

    def test_run_graph_returns_requested_intermediates(self):
        model = tiny_model()
        out = run_graph(model, normalised(2), keep=["r1", "p1"])
        self.assertEqual(out["r1"].shape, (2, 3, SIZE, SIZE))
        self.assertEqual(out["p1"].shape, (2, 3, SIZE // 2, SIZE // 2))
        self.assertGreaterEqual(out["r1"].min(), 0.0)
        self.assertEqual(out["logits"].shape, (2, 5))


class ParameterTest(unittest.TestCase):
    def test_weights_are_symmetric_per_channel_within_half_a_step(self):
        w = np.random.default_rng(0).normal(size=(4, 3, 3, 3)) * np.array([1e-3, 0.1, 1.0, 50.0]).reshape(4, 1, 1, 1)
        q, scale = quantize_weight(w, 0)
        self.assertEqual(q.dtype, np.int8)
        self.assertEqual(scale.shape, (4,))
        np.testing.assert_allclose(scale, np.abs(w).reshape(4, -1).max(1) / 127, rtol=1e-6)
        self.assertEqual(int(np.abs(q).max()), 127)
        self.assertGreaterEqual(int(q.min()), -127)
        err = np.abs(q * scale.astype(np.float64).reshape(4, 1, 1, 1) - w)
        self.assertTrue(np.all(err <= scale.reshape(4, 1, 1, 1) / 2 * (1 + 1e-6)))

    def test_seven_bit_weights_keep_every_pair_of_products_within_16_bits(self):
        w = np.random.default_rng(1).normal(size=(8, 16))
        q, scale = quantize_weight(w, 0, bits=7)
        self.assertEqual(int(np.abs(q).max()), 64)
        np.testing.assert_allclose(scale, np.abs(w).max(1) / 64, rtol=1e-6)
        self.assertLessEqual(2 * 255 * int(np.abs(q).max()), 32767, "uint8 x int8 pair sums fit in int16")
        with self.assertRaisesRegex(ValueError, "7 or 8"):
            quantize_weight(w, 0, bits=6)

    def test_weight_axis_one_and_all_zero_channel(self):
        w = np.array([[0.0, 2.0], [0.0, -1.0]])
        q, scale = quantize_weight(w, 1)
        np.testing.assert_allclose(scale, [1.0, 2.0 / 127], rtol=1e-6)
        np.testing.assert_array_equal(q, [[0, 127], [0, -64]])

    def test_bias_scale_is_input_scale_times_weight_scale(self):
        q, scale = quantize_bias(np.array([0.5, -0.25]), 0.02, np.array([0.01, 0.1], np.float32))
        np.testing.assert_allclose(scale, [0.0002, 0.002], rtol=1e-6)
        np.testing.assert_array_equal(q, [2500, -125])
        self.assertEqual(q.dtype, np.int32)

    def test_activation_params_cover_the_range_and_zero(self):
        p = activation_params(-1.0, 3.0)
        self.assertAlmostEqual(p.scale, 4 / 255, places=7)
        self.assertEqual(p.zero_point, 64)
        relu = activation_params(0.0, 6.0)
        self.assertEqual(relu.zero_point, 0)
        positive = activation_params(1.0, 3.0)  # widened to include 0
        self.assertEqual(positive.zero_point, 0)
        self.assertAlmostEqual(positive.scale, 3 / 255, places=7)
        signed = activation_params(0.0, 6.0, "int8")
        self.assertEqual(signed.zero_point, -128)


class QuantizeModelTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.float_model = tiny_model()
        cls.calibration = normalised(256)
        cls.model, cls.details = quantize_model(cls.float_model, cls.calibration)

    def test_graph_is_valid_qdq_with_relus_folded(self):
        onnx.checker.check_model(self.model, full_check=True)
        ops = [n.op_type for n in self.model.graph.node]
        self.assertNotIn("Relu", ops)
        self.assertEqual(ops.count("Conv"), 2)
        self.assertEqual(ops.count("Gemm"), 1)
        # input, conv1 out, pool1 out, conv2 out, flatten out: one Q/DQ pair each.
        self.assertEqual(ops.count("QuantizeLinear"), 5)
        # those 5 plus weights and biases of 3 layers.
        self.assertEqual(ops.count("DequantizeLinear"), 5 + 6)
        self.assertEqual([i.name for i in self.model.graph.input], ["input"])
        self.assertEqual([o.name for o in self.model.graph.output], ["logits"])
        self.assertFalse({"w1", "b1", "w2", "b2", "w3", "b3"} & {t.name for t in self.model.graph.initializer},
                         "float weights must not be left in the model")

    def test_every_conv_and_gemm_reads_dequantized_int8_weights_and_int32_biases(self):
        producers = by_output(self.model)
        for node in (n for n in self.model.graph.node if n.op_type in ("Conv", "Gemm")):
            act, weight, bias = (producers[name] for name in node.input)
            self.assertEqual(act.op_type, "DequantizeLinear", node.name)
            self.assertEqual(producers[act.input[0]].op_type, "QuantizeLinear", node.name)
            self.assertEqual(weight.op_type, "DequantizeLinear")
            self.assertEqual(attr(weight, "axis"), 0)
            wq, ws, wz = (init(self.model, n) for n in weight.input)
            self.assertEqual(wq.dtype, np.int8)
            self.assertEqual(ws.shape, (wq.shape[0],), "one scale per output channel")
            self.assertEqual(wz.dtype, np.int8)
            self.assertFalse(wz.any(), "symmetric weights have zero points of 0")
            bq, bs, bz = (init(self.model, n) for n in bias.input)
            self.assertEqual(bq.dtype, np.int32)
            self.assertEqual(bz.dtype, np.int32)
            in_scale = init(self.model, act.input[1])
            np.testing.assert_allclose(bs, in_scale * ws, rtol=1e-6)

    def test_per_channel_scales_follow_each_channel_and_dequantize_within_half_a_step(self):
        producers = by_output(self.model)
        for node in (n for n in self.model.graph.node if n.op_type in ("Conv", "Gemm")):
            wname = producers[node.input[1]].input[0].removesuffix("_quantized")
            w = init(self.float_model, wname).astype(np.float64)
            wq, ws, _ = (init(self.model, n) for n in producers[node.input[1]].input)
            shape = [-1] + [1] * (w.ndim - 1)
            # 7-bit weights by default: -64..64, so AVX2's 16-bit pair sums of uint8 x int8 cannot saturate.
            np.testing.assert_allclose(ws, np.abs(w).reshape(w.shape[0], -1).max(1) / 64, rtol=1e-6)
            self.assertEqual(int(np.abs(wq).max()), 64)
            self.assertGreater(ws.max() / ws.min(), 10, "the test model's channels differ in scale")
            err = np.abs(wq * ws.astype(np.float64).reshape(shape) - w)
            self.assertTrue(np.all(err <= ws.reshape(shape) / 2 * (1 + 1e-6)), f"{wname}: max error {err.max()}")

    def test_activation_parameters_come_from_calibration(self):
        values = run_graph(self.float_model, self.calibration, keep=["r1", "r2", "f"])
        relu1 = self.details["activation_params"]["r1"]
        self.assertEqual(relu1["zero_point"], 0, "a folded Relu puts zero at the bottom of uint8")
        self.assertAlmostEqual(relu1["scale"], float(values["r1"].max()) / 255, places=6)
        flat = self.details["activation_params"]["f"]
        lo, hi = min(0.0, values["f"].min()), max(0.0, values["f"].max())
        self.assertAlmostEqual(flat["scale"], (hi - lo) / 255, places=6)
        pool = self.details["activation_params"]["p1"]
        self.assertEqual((pool["scale"], pool["zero_point"], pool["shared_with"]), (relu1["scale"], 0, "r1"))

    def test_quantized_outputs_stay_close_to_float(self):
        x = normalised(32, seed=7)  # not the calibration images
        ref, got = run_numpy(self.float_model, x), run_numpy(self.model, x)
        spread = ref.max() - ref.min()
        self.assertLess(np.abs(ref - got).max(), 0.03 * spread)
        self.assertGreaterEqual((ref.argmax(1) == got.argmax(1)).mean(), 0.9)

    def test_percentile_calibration_clips_outliers(self):
        x = self.calibration.copy()
        x[0, 0, 0, :2] = 40.0  # two absurd pixels
        minmax, d1 = quantize_model(self.float_model, x, method="minmax")
        pct, d2 = quantize_model(self.float_model, x, method="percentile", percentile=99.0)
        self.assertLess(d2["activation_params"]["r1"]["scale"], d1["activation_params"]["r1"]["scale"] / 2)
        self.assertLess(d2["activation_params"]["input"]["scale"], d1["activation_params"]["input"]["scale"] / 2)

    def test_fixed_input_range_and_int8_activations(self):
        model, details = quantize_model(self.float_model, self.calibration, activations="int8", input_range=(-1.0, 3.0))
        p = details["activation_params"]["input"]
        self.assertAlmostEqual(p["scale"], 4 / 255, places=7)
        self.assertEqual(p["zero_point"], -128 + 64)
        self.assertEqual(details["activation_params"]["r1"]["zero_point"], -128)
        zp = next(init(model, n.input[2]) for n in model.graph.node if n.op_type == "QuantizeLinear")
        self.assertEqual(zp.dtype, np.int8)

    def test_eight_bit_and_uint8_weights(self):
        x = normalised(16, seed=5)
        ref = run_numpy(self.float_model, x)
        for weights, bits, dtype, zero_point, qmax in (("int8", 8, np.int8, 0, 127), ("uint8", 8, np.uint8, 128, 127),
                                                       ("uint8", 7, np.uint8, 128, 64)):
            model, details = quantize_model(self.float_model, self.calibration, weight_bits=bits, weight_type=weights)
            self.assertTrue(details["weights"].startswith(f"{weights} symmetric per-channel, {bits} bits"))
            producers = by_output(model)
            conv = next(n for n in model.graph.node if n.op_type == "Conv")
            wq, _, wz = (init(model, n) for n in producers[conv.input[1]].input)
            self.assertEqual((wq.dtype, wz.dtype), (dtype, dtype))
            self.assertTrue(np.all(wz == zero_point))
            self.assertEqual(int(np.abs(wq.astype(np.int32) - zero_point).max()), qmax)
            got = run_numpy(model, x)
            self.assertLess(np.abs(ref - got).max(), 0.03 * (ref.max() - ref.min()), f"{weights} {bits} bits")

    def test_gemm_without_trans_b_uses_axis_one(self):
        model, _ = quantize_model(tiny_model(trans_b=0), self.calibration)
        producers = by_output(model)
        gemm = next(n for n in model.graph.node if n.op_type == "Gemm")
        dq = producers[gemm.input[1]]
        self.assertEqual(attr(dq, "axis"), 1)
        self.assertEqual(init(model, dq.input[1]).shape, (5,))
        x = normalised(8, seed=3)
        ref, got = run_numpy(tiny_model(trans_b=0), x), run_numpy(model, x)
        self.assertLess(np.abs(ref - got).max(), 0.03 * (ref.max() - ref.min()))

    def test_conv_without_relu_keeps_a_signed_output_range(self):
        model, details = quantize_model(tiny_model(relu_after_second_conv=False), self.calibration)
        self.assertEqual([n.op_type for n in model.graph.node].count("Relu"), 0)
        self.assertGreater(details["activation_params"]["c2"]["zero_point"], 0)

    def test_unsupported_op_is_refused(self):
        model = tiny_model()
        model.graph.node[1].op_type = "Sigmoid"
        with self.assertRaisesRegex(QuantizeError, "Sigmoid"):
            quantize_model(model, self.calibration)

    def test_opset_below_13_is_refused(self):
        model = tiny_model()
        model.opset_import[0].version = 11
        with self.assertRaisesRegex(QuantizeError, "opset 11"):
            quantize_model(model, self.calibration)


class CommandLineTest(unittest.TestCase):
    def test_writes_a_model_and_a_summary(self):
        with tempfile.TemporaryDirectory() as tmp:
            src, out, npy = Path(tmp, "f.onnx"), Path(tmp, "q.onnx"), Path(tmp, "cal.npy")
            onnx.save(tiny_model(), str(src))
            np.save(npy, images(16))
            run = subprocess.run([sys.executable, str(HERE / "quantize.py"), "--model", str(src), "--output", str(out),
                                  "--calibration-npy", str(npy)], capture_output=True, text=True, check=False)
            self.assertEqual(run.returncode, 0, run.stderr)
            summary = json.loads(run.stdout)
            self.assertEqual(summary["calibration"], {"method": "minmax", "images": 16})
            self.assertEqual(summary["check_argmax_agreement"], 1.0)
            model = onnx.load(str(out))
            meta = {p.key: p.value for p in model.metadata_props}
            self.assertIn("preprocessing", meta)
            self.assertEqual(json.loads(meta["quantization"])["format"], "QDQ")
            p = next(init(model, n.input[1]) for n in model.graph.node if n.input[0] == "input")
            self.assertAlmostEqual(float(p), 4 / 255, places=7, msg="input range comes from the preprocessing metadata")


if __name__ == "__main__":
    unittest.main()
