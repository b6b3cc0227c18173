#!/usr/bin/python3
"""Regenerates the evaluator fixtures: a small labelled set for tests/data/models/chain.onnx and
a 3-layer conv model with its data (for incremental-evaluation tests)."""
import os
import numpy as np
import onnx
from onnx import helper, TensorProto, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(11)

x = rng.standard_normal((50, 4)).astype(np.float32)
y = rng.integers(0, 2, size=50).astype(np.int64)
np.savez(os.path.join(HERE, "chain_val.npz"), x=x, y=y)

# conv -> relu -> conv -> relu -> flatten -> gemm: three compressible layers
w1 = numpy_helper.from_array(rng.standard_normal((4, 1, 3, 3)).astype(np.float32) * 0.5, "w1")
b1 = numpy_helper.from_array(rng.standard_normal(4).astype(np.float32) * 0.1, "b1")
w2 = numpy_helper.from_array(rng.standard_normal((6, 4, 3, 3)).astype(np.float32) * 0.3, "w2")
w3 = numpy_helper.from_array(rng.standard_normal((5, 6 * 3 * 3)).astype(np.float32) * 0.2, "w3")
g = helper.make_graph(
    [helper.make_node("Conv", ["image", "w1", "b1"], ["c1"], name="conv1"),
     helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
     helper.make_node("Conv", ["r1", "w2"], ["c2"], name="conv2", strides=[2, 2], pads=[1, 1, 1, 1]),
     helper.make_node("Relu", ["c2"], ["r2"], name="relu2"),
     helper.make_node("Flatten", ["r2"], ["f"], name="flatten"),
     helper.make_node("Gemm", ["f", "w3"], ["logits"], name="fc", transB=1)],
    "tinycnn",
    [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 1, 8, 8])],
    [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 5])],
    initializer=[w1, b1, w2, w3])
m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
m.ir_version = 8
onnx.save(m, os.path.join(HERE, "tinycnn.onnx"))
images = rng.random((40, 1, 8, 8)).astype(np.float32)
labels = rng.integers(0, 5, size=40).astype(np.int64)
np.savez_compressed(os.path.join(HERE, "tinycnn_val.npz"), x=images, y=labels)
