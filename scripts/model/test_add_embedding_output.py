"""add_embedding_output.py on a tiny Flatten -> Gemm graph: the second output and re-running it."""

import unittest

import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto

from add_embedding_output import OUTPUT, add_embedding


def tiny_model() -> onnx.ModelProto:
    nodes = [
        helper.make_node("Flatten", ["input"], ["/Flatten_output_0"]),
        helper.make_node("Gemm", ["/Flatten_output_0", "fc.weight", "fc.bias"], ["logits"], transB=1),
    ]
    inits = [numpy_helper.from_array(np.ones((7, 12), np.float32), "fc.weight"),
             numpy_helper.from_array(np.zeros(7, np.float32), "fc.bias")]
    graph = helper.make_graph(nodes, "tiny", [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 12, 1, 1])],
                              [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 7])], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])


class AddEmbeddingTest(unittest.TestCase):
    def test_lists_the_gemm_input_as_a_second_output_once(self):
        model = tiny_model()
        self.assertTrue(add_embedding(model))
        onnx.checker.check_model(model)
        names = [o.name for o in model.graph.output]
        self.assertEqual(names, ["logits", OUTPUT])
        dims = [d.dim_param or d.dim_value for d in model.graph.output[1].type.tensor_type.shape.dim]
        self.assertEqual(dims, ["N", 12])
        gemm = next(n for n in model.graph.node if n.op_type == "Gemm")
        self.assertEqual(gemm.input[0], OUTPUT)
        self.assertEqual(len(model.graph.node), 2)
        self.assertFalse(add_embedding(model))
        self.assertEqual(len(model.graph.output), 2)

    def test_refuses_a_graph_without_a_gemm_writing_logits(self):
        model = tiny_model()
        model.graph.node[1].output[0] = "scores"
        with self.assertRaises(SystemExit):
            add_embedding(model)


if __name__ == "__main__":
    unittest.main()
