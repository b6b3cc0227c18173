#!/usr/bin/python3
"""Writes the quant-op golden cases of tests/ops_quant/onnxruntime_cases: single-node models
(QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear, MatMulInteger, QLinearMatMul,
ConvInteger, QLinearConv) on random data (fixed seed), and the outputs ONNX Runtime computes
(scripts/ort/run.js, onnxruntime 1.30, graph optimizations off). Integer outputs must match
exactly. Needs Debian's python3 (onnx, numpy) and node.
Usage: tests/ops_quant/make_onnxruntime_cases.py"""
import os
import shutil
import subprocess

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'onnxruntime_cases')
RUN_JS = os.path.join(HERE, '..', '..', 'scripts', 'ort', 'run.js')
T = {np.float32: TensorProto.FLOAT, np.int32: TensorProto.INT32, np.uint8: TensorProto.UINT8,
     np.int8: TensorProto.INT8, np.uint16: TensorProto.UINT16, np.int16: TensorProto.INT16}
F, U8, I8, I16, I32 = TensorProto.FLOAT, TensorProto.UINT8, TensorProto.INT8, TensorProto.INT16, TensorProto.INT32
rng = np.random.default_rng(8675309)


def case(name, op, inputs, outputs, opset, **attrs):
    folder = os.path.join(OUT, name)
    data = os.path.join(folder, 'test_data_set_0')
    os.makedirs(data)
    names = [n if a is not None else '' for n, a in inputs]
    node = helper.make_node(op, names, [o for o, _ in outputs], **attrs)
    graph = helper.make_graph(
        [node], name,
        [helper.make_tensor_value_info(n, T[a.dtype.type], a.shape) for n, a in inputs if a is not None],
        [helper.make_tensor_value_info(o, t, None) for o, t in outputs])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', opset)])
    model.ir_version = 8
    onnx.save(model, os.path.join(folder, 'model.onnx'))
    k = 0
    for n, a in inputs:
        if a is not None:
            with open(os.path.join(data, f'input_{k}.pb'), 'wb') as f:
                f.write(numpy_helper.from_array(a, n).SerializeToString())
            k += 1
    subprocess.run(['node', RUN_JS, os.path.join(folder, 'model.onnx'), '--input-dir', data,
                    '--output-dir', data, '--optimize', 'none'], check=True, stdout=subprocess.DEVNULL)


def u8(*s):
    return rng.integers(0, 256, s).astype(np.uint8)


def i8(*s):
    return rng.integers(-128, 128, s).astype(np.int8)


def f32(v):
    return np.array(v, np.float32)


def scales(*s):
    return rng.uniform(0.01, 0.1, s).astype(np.float32)


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    ties = f32([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 3.5, 1000, -1000, 0.49999997, 127.5, -128.5,
                np.nan, np.inf, -np.inf])
    case('quantize_ties_int8', 'QuantizeLinear', [('x', ties), ('s', f32(1)), ('z', np.array(0, np.int8))], [('y', I8)], 13)
    case('quantize_ties_uint8', 'QuantizeLinear', [('x', ties), ('s', f32(1)), ('z', np.array(3, np.uint8))], [('y', U8)], 13)
    x = rng.normal(0, 3, (3, 4, 5)).astype(np.float32)
    case('quantize_axis1', 'QuantizeLinear', [('x', x), ('s', scales(4)), ('z', u8(4))], [('y', U8)], 13, axis=1)
    case('quantize_axis_neg', 'QuantizeLinear', [('x', x), ('s', scales(5)), ('z', i8(5))], [('y', I8)], 13, axis=-1)
    case('quantize_blocked', 'QuantizeLinear', [('x', x), ('s', scales(3, 2, 5)), ('z', i8(3, 2, 5))], [('y', I8)], 21,
         axis=1, block_size=3)
    case('quantize_int16', 'QuantizeLinear', [('x', x * 1000), ('s', f32(0.37)), ('z', np.array(-7, np.int16))], [('y', I16)], 21)
    case('dequantize_axis', 'DequantizeLinear', [('x', i8(3, 4, 5)), ('s', scales(4)), ('z', i8(4))], [('y', F)], 13, axis=1)
    case('dequantize_int32', 'DequantizeLinear', [('x', rng.integers(-10**6, 10**6, (7,)).astype(np.int32)), ('s', f32(0.013))],
         [('y', F)], 13)
    case('dequantize_blocked', 'DequantizeLinear', [('x', u8(4, 6)), ('s', scales(4, 2)), ('z', u8(4, 2))], [('y', F)], 21,
         axis=1, block_size=4)
    for i, (shape, lo, hi) in enumerate([((1000,), -2, 5), ((16, 64), -7, 0.5), ((3, 3), 0, 0), ((17,), 1, 3)]):
        case(f'dynamic_quantize_{i}', 'DynamicQuantizeLinear', [('x', rng.uniform(lo, hi, shape).astype(np.float32))],
             [('y', U8), ('y_scale', F), ('y_zero_point', U8)], 11)
    case('matmulinteger_u8s8_per_column', 'MatMulInteger',
         [('a', u8(2, 5, 300)), ('b', i8(300, 9)), ('az', np.array(131, np.uint8)), ('bz', i8(9))], [('y', I32)], 10)
    case('matmulinteger_u8u8', 'MatMulInteger',
         [('a', u8(7, 40)), ('b', u8(40, 3)), ('az', np.array(5, np.uint8)), ('bz', np.array(200, np.uint8))], [('y', I32)], 10)
    case('matmulinteger_s8s8_batched', 'MatMulInteger', [('a', i8(2, 3, 33)), ('b', i8(2, 33, 4))], [('y', I32)], 10)
    y_scale = f32(0.02 * 0.01 * np.sqrt(50) * 74 * 74 * 2.5 / 127)
    for name, a, az, b, bz, yz in [
            ('u8u8', u8(3, 4, 50), np.array(120, np.uint8), u8(50, 6), np.array(128, np.uint8), np.array(128, np.uint8)),
            ('u8s8', u8(3, 4, 50), np.array(120, np.uint8), i8(50, 6), np.array(2, np.int8), np.array(128, np.uint8)),
            ('s8s8', i8(3, 4, 50), np.array(-3, np.int8), i8(50, 6), np.array(2, np.int8), np.array(1, np.int8))]:
        case(f'qlinearmatmul_{name}', 'QLinearMatMul',
             [('a', a), ('a_scale', f32(0.02)), ('a_zero_point', az), ('b', b), ('b_scale', f32(0.01)),
              ('b_zero_point', bz), ('y_scale', y_scale), ('y_zero_point', yz)], [('y', T[yz.dtype.type])], 10)
    case('qlinearmatmul_per_column', 'QLinearMatMul',
         [('a', u8(5, 64)), ('a_scale', f32(0.02)), ('a_zero_point', np.array(120, np.uint8)), ('b', i8(64, 6)),
          ('b_scale', rng.uniform(0.005, 0.02, 6).astype(np.float32)), ('b_zero_point', np.zeros(6, np.int8)),
          ('y_scale', f32(0.09)), ('y_zero_point', np.array(128, np.uint8))], [('y', U8)], 10)
    case('convinteger_grouped', 'ConvInteger',
         [('x', u8(2, 6, 7, 8)), ('w', i8(9, 2, 3, 3)), ('xz', np.array(130, np.uint8)), ('wz', np.array(1, np.int8))],
         [('y', I32)], 10, group=3, pads=[1, 0, 1, 2], strides=[2, 1], dilations=[1, 2])
    case('convinteger_same_upper', 'ConvInteger',
         [('x', u8(1, 3, 9, 9)), ('w', u8(4, 3, 2, 2)), ('xz', np.array(100, np.uint8)), ('wz', np.array(120, np.uint8))],
         [('y', I32)], 10, auto_pad='SAME_UPPER')
    case('qlinearconv_per_channel_bias', 'QLinearConv',
         [('x', u8(1, 8, 6, 6)), ('x_scale', f32(0.05)), ('x_zero_point', np.array(128, np.uint8)), ('w', i8(16, 8, 3, 3)),
          ('w_scale', rng.uniform(0.002, 0.01, 16).astype(np.float32)), ('w_zero_point', np.zeros(16, np.int8)),
          ('y_scale', f32(0.5)), ('y_zero_point', np.array(120, np.uint8)),
          ('B', rng.integers(-2000, 2000, 16).astype(np.int32))], [('y', U8)], 10, pads=[1, 1, 1, 1])
    case('qlinearconv_int8_depthwise', 'QLinearConv',
         [('x', i8(2, 4, 7, 5)), ('x_scale', f32(0.05)), ('x_zero_point', np.array(-2, np.int8)), ('w', i8(4, 1, 3, 3)),
          ('w_scale', f32(0.004)), ('w_zero_point', np.array(0, np.int8)), ('y_scale', f32(0.3)),
          ('y_zero_point', np.array(5, np.int8))], [('y', I8)], 10, group=4, strides=[2, 2], pads=[1, 1, 1, 1])
    case('qlinearconv_1d', 'QLinearConv',
         [('x', u8(1, 3, 20)), ('x_scale', f32(0.05)), ('x_zero_point', np.array(128, np.uint8)), ('w', u8(5, 3, 4)),
          ('w_scale', f32(0.004)), ('w_zero_point', np.array(127, np.uint8)), ('y_scale', f32(0.2)),
          ('y_zero_point', np.array(128, np.uint8))], [('y', U8)], 10, strides=[3])


if __name__ == '__main__':
    main()
