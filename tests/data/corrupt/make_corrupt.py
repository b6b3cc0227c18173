#!/usr/bin/python3
"""Regenerates the deliberately broken ONNX files in this folder (run with Debian's python3).

Each file exercises one bad-input class of the reader; expected.tsv holds the exact message
fragment `nncompress inspect` must print for it (with exit code 3).
"""
import os
import onnx
from onnx import helper, TensorProto, numpy_helper
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def base_model(initializers=None, nodes=None, ir=8):
    w = numpy_helper.from_array(np.arange(6, dtype=np.float32).reshape(2, 3), "W")
    nodes = nodes or [helper.make_node("MatMul", ["x", "W"], ["y"], name="mm")]
    graph = helper.make_graph(
        nodes, "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3])],
        initializer=initializers if initializers is not None else [w])
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    m.ir_version = ir
    return m


def save(name, model_or_bytes):
    data = model_or_bytes if isinstance(model_or_bytes, bytes) else model_or_bytes.SerializeToString()
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


good = base_model().SerializeToString()
save("empty.onnx", b"")
save("not_a_model.onnx", b"This is a text file, not an ONNX model.\n")
save("truncated.onnx", good[: len(good) * 2 // 3])

t = numpy_helper.from_array(np.zeros((2, 3), dtype=np.float32), "W")
t.data_type = 17  # FLOAT8E4M3FN: not supported by this program
save("unknown_dtype.onnx", base_model([t]))

ext = numpy_helper.from_array(np.zeros((2, 3), dtype=np.float32), "W")
ext.ClearField("raw_data")
ext.data_location = TensorProto.EXTERNAL
for k, v in (("location", "missing_weights.bin"), ("offset", "0"), ("length", "24")):
    e = ext.external_data.add(); e.key = k; e.value = v
save("missing_external.onnx", base_model([ext]))

ext2 = numpy_helper.from_array(np.zeros((2, 3), dtype=np.float32), "W")
ext2.ClearField("raw_data")
ext2.data_location = TensorProto.EXTERNAL
for k, v in (("location", "short_external.bin"), ("offset", "0"), ("length", "24")):
    e = ext2.external_data.add(); e.key = k; e.value = v
save("short_external.onnx", base_model([ext2]))
save("short_external.bin", b"\0" * 10)

w = numpy_helper.from_array(np.zeros((2, 3), dtype=np.float32), "W")
save("duplicate_names.onnx", base_model([w, w]))

save("dangling_input.onnx", base_model(nodes=[
    helper.make_node("Add", ["x", "nowhere"], ["t"], name="add"),
    helper.make_node("MatMul", ["t", "W"], ["y"], name="mm")]))

save("cycle.onnx", base_model(nodes=[
    helper.make_node("Add", ["x", "b"], ["a"], name="first"),
    helper.make_node("Relu", ["a"], ["b"], name="second"),
    helper.make_node("MatMul", ["a", "W"], ["y"], name="mm")]))

bad = numpy_helper.from_array(np.zeros((2, 3), dtype=np.float32), "W")
bad.raw_data = b"\0" * 20
save("bad_raw_size.onnx", base_model([bad]))

save("future_ir.onnx", base_model(ir=99))
