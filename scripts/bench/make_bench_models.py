#!/usr/bin/python3
"""Writes the two synthetic benchmark models of scripts/bench/compare.sh into OUT_DIR.

    /usr/bin/python3 scripts/bench/make_bench_models.py OUT_DIR [--batch 64] [--seed 1234]

OUT_DIR/<name>/model.onnx and OUT_DIR/<name>/input_0.pb for
  cnn: a Fashion-MNIST-style CNN on 1x28x28 images: Conv3x3(1->32, pad 1) + Relu + MaxPool2,
       Conv3x3(32->64, pad 1) + Relu + MaxPool2, Flatten, Gemm 3136->128, Relu, Gemm 128->10
  mlp: Gemm 784->512, Relu, Gemm 512->256, Relu, Gemm 256->10 on flattened 28x28 images
with random weights and inputs from a fixed seed (the figures do not depend on the values), and
OUT_DIR/meta.json: {"<name>": {"batch": B, "flops": F}}, F = multiply-add FLOPs (2 per MAC) of
one run at that batch (Conv and Gemm only; Relu, MaxPool and bias adds are not counted).

Needs Debian's python3 with the onnx and numpy packages (python3-onnx). The files are generated
at benchmark time and never committed.
"""

import argparse
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
IR_VERSION = 7  # readable by onnx 1.12 and every ONNX Runtime of the last years


def he(rng, shape, fan_in):
    return (rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(np.float32)


def gemm(name, x, y, w, b, inits):
    """Gemm with weights stored [out, in] and transB=1, as PyTorch exports nn.Linear."""
    inits += [numpy_helper.from_array(w, name + ".weight"),
              numpy_helper.from_array(b, name + ".bias")]
    return helper.make_node("Gemm", [x, name + ".weight", name + ".bias"], [y], name=name,
                            transB=1)


def make_cnn(rng, batch):
    inits, nodes = [], []
    c1w = he(rng, (32, 1, 3, 3), 9)
    c2w = he(rng, (64, 32, 3, 3), 32 * 9)
    inits += [numpy_helper.from_array(c1w, "conv1.weight"),
              numpy_helper.from_array(np.zeros(32, np.float32), "conv1.bias"),
              numpy_helper.from_array(c2w, "conv2.weight"),
              numpy_helper.from_array(np.zeros(64, np.float32), "conv2.bias")]
    conv = dict(kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[1, 1])
    pool = dict(kernel_shape=[2, 2], strides=[2, 2])
    nodes += [
        helper.make_node("Conv", ["input", "conv1.weight", "conv1.bias"], ["c1"], name="conv1",
                         **conv),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
        helper.make_node("MaxPool", ["r1"], ["p1"], name="pool1", **pool),
        helper.make_node("Conv", ["p1", "conv2.weight", "conv2.bias"], ["c2"], name="conv2",
                         **conv),
        helper.make_node("Relu", ["c2"], ["r2"], name="relu2"),
        helper.make_node("MaxPool", ["r2"], ["p2"], name="pool2", **pool),
        helper.make_node("Flatten", ["p2"], ["f"], name="flatten", axis=1),
    ]
    nodes.append(gemm("fc1", "f", "h", he(rng, (128, 3136), 3136),
                      np.zeros(128, np.float32), inits))
    nodes.append(helper.make_node("Relu", ["h"], ["hr"], name="relu3"))
    nodes.append(gemm("fc2", "hr", "logits", he(rng, (10, 128), 128),
                      np.zeros(10, np.float32), inits))
    graph = helper.make_graph(
        nodes, "bench_cnn",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [batch, 1, 28, 28])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [batch, 10])], inits)
    per_sample = 2 * (28 * 28 * 32 * 1 * 9 + 14 * 14 * 64 * 32 * 9 + 3136 * 128 + 128 * 10)
    return graph, (batch, 1, 28, 28), per_sample * batch


def make_mlp(rng, batch):
    inits, nodes = [], []
    sizes = [784, 512, 256, 10]
    x = "input"
    for i in range(3):
        y = "logits" if i == 2 else f"h{i}"
        nodes.append(gemm(f"fc{i + 1}", x, y, he(rng, (sizes[i + 1], sizes[i]), sizes[i]),
                          np.zeros(sizes[i + 1], np.float32), inits))
        if i < 2:
            nodes.append(helper.make_node("Relu", [y], [y + "r"], name=f"relu{i + 1}"))
            y += "r"
        x = y
    graph = helper.make_graph(
        nodes, "bench_mlp",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [batch, 784])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [batch, 10])], inits)
    per_sample = 2 * sum(sizes[i] * sizes[i + 1] for i in range(3))
    return graph, (batch, 784), per_sample * batch


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--seed", type=int, default=1234)
    args = ap.parse_args()
    if args.batch < 1:
        ap.error("--batch must be at least 1")
    meta = {}
    for name, build in (("cnn", make_cnn), ("mlp", make_mlp)):
        rng = np.random.default_rng(args.seed)
        graph, input_shape, flops = build(rng, args.batch)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                                  producer_name="nncompress-bench")
        model.ir_version = IR_VERSION
        onnx.checker.check_model(model)
        folder = os.path.join(args.out_dir, name)
        os.makedirs(folder, exist_ok=True)
        onnx.save(model, os.path.join(folder, "model.onnx"))
        x = rng.random(input_shape, dtype=np.float32)
        with open(os.path.join(folder, "input_0.pb"), "wb") as f:
            f.write(numpy_helper.from_array(x, "input").SerializeToString())
        meta[name] = {"batch": args.batch, "flops": flops}
    with open(os.path.join(args.out_dir, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
