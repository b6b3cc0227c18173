#!/usr/bin/python3
"""Regenerates the small valid ONNX fixtures used by tests/model/test_reader.cpp."""
import os
import numpy as np
import onnx
from onnx import helper, TensorProto, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))


def save(name, m):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(m.SerializeToString())


# Nodes deliberately out of order (as keras2onnx 1.5 writes them).
w = numpy_helper.from_array(np.array([[1, 2], [3, 4]], dtype=np.float32), "W")
g = helper.make_graph(
    [helper.make_node("Relu", ["h"], ["y"], name="relu"),
     helper.make_node("MatMul", ["x", "W"], ["h"], name="mm")],
    "unsorted",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 2])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 2])],
    initializer=[w])
m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
m.ir_version = 8
save("unsorted.onnx", m)

# One initializer per dtype, in the typed repeated fields (not raw_data).
inits = [
    helper.make_tensor("f32", TensorProto.FLOAT, [2], [1.5, -2.0]),
    helper.make_tensor("f64", TensorProto.DOUBLE, [2], [0.25, -8.0]),
    helper.make_tensor("i8", TensorProto.INT8, [3], [-128, 0, 127]),
    helper.make_tensor("u8", TensorProto.UINT8, [2], [0, 255]),
    helper.make_tensor("i16", TensorProto.INT16, [2], [-300, 300]),
    helper.make_tensor("u16", TensorProto.UINT16, [1], [65535]),
    helper.make_tensor("i32", TensorProto.INT32, [2], [-70000, 70000]),
    helper.make_tensor("i64", TensorProto.INT64, [2], [-(2**40), 2**40]),
    helper.make_tensor("u32", TensorProto.UINT32, [1], [4000000000]),
    helper.make_tensor("u64", TensorProto.UINT64, [1], [2**63]),
    helper.make_tensor("b", TensorProto.BOOL, [2], [True, False]),
    helper.make_tensor("f16", TensorProto.FLOAT16, [2], [1.5, -0.5]),  # helper converts to half bits
    helper.make_tensor("bf16", TensorProto.BFLOAT16, [1], [1.5]),
    helper.make_tensor("s", TensorProto.STRING, [2], [b"left", b"right"]),
    numpy_helper.from_array(np.array([[1, 2, 3]], dtype=np.int64), "raw_i64"),
]
g = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "dtypes",
                      [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])],
                      [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])],
                      initializer=inits)
m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
m.ir_version = 8
save("dtypes.onnx", m)

# External data at a non-zero offset.
data = np.arange(12, dtype=np.float32).reshape(3, 4)
with open(os.path.join(HERE, "external.bin"), "wb") as f:
    f.write(b"\xAB" * 16)
    f.write(data.tobytes())
t = TensorProto()
t.name = "W"
t.data_type = TensorProto.FLOAT
t.dims.extend([3, 4])
t.data_location = TensorProto.EXTERNAL
for k, v in (("location", "external.bin"), ("offset", "16"), ("length", str(data.nbytes))):
    e = t.external_data.add(); e.key = k; e.value = v
g = helper.make_graph([helper.make_node("MatMul", ["x", "W"], ["y"], name="mm")], "ext",
                      [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3])],
                      [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])],
                      initializer=[t])
m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
m.ir_version = 8
save("external.onnx", m)

# Two ops no engine knows, in two domains: the error must list both.
g = helper.make_graph(
    [helper.make_node("FancyOp", ["x"], ["t"], name="fancy", domain="com.example"),
     helper.make_node("Relu", ["t"], ["u"], name="relu"),
     helper.make_node("MysteryOp", ["u"], ["y"], name="mystery")],
    "unsupported",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2])])
m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13), helper.make_opsetid("com.example", 1)])
m.ir_version = 8
save("unsupported.onnx", m)

# A chain for partial runs: x -> MatMul(W1) -> h -> Relu -> r -> MatMul(W2) -> y
rng = np.random.default_rng(7)
w1 = numpy_helper.from_array(rng.standard_normal((4, 3)).astype(np.float32), "W1")
w2 = numpy_helper.from_array(rng.standard_normal((3, 2)).astype(np.float32), "W2")
g = helper.make_graph(
    [helper.make_node("MatMul", ["x", "W1"], ["h"], name="fc1"),
     helper.make_node("Relu", ["h"], ["r"], name="relu"),
     helper.make_node("MatMul", ["r", "W2"], ["y"], name="fc2")],
    "chain",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 4])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 2])],
    initializer=[w1, w2])
m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
m.ir_version = 8
save("chain.onnx", m)
