#!/usr/bin/python3
"""Writes the RNN/GRU/LSTM golden cases of tests/ops_rnn/onnxruntime_cases: single-node models
with random sizes and options (fixed seed), inputs, and the outputs ONNX Runtime computes
(scripts/ort/run.js, onnxruntime 1.30, graph optimizations off). ONNX Runtime has no batchwise
layout (layout = 1), so these cases use layout 0 only. Needs Debian's python3 (onnx, numpy) and
node. Usage: tests/ops_rnn/make_onnxruntime_cases.py"""
import os
import shutil
import subprocess

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'onnxruntime_cases')
RUN_JS = os.path.join(HERE, '..', '..', 'scripts', 'ort', 'run.js')
TYPES = {np.float32: TensorProto.FLOAT, np.int32: TensorProto.INT32}
ACTIVATIONS = [('Sigmoid',), ('Tanh',), ('Relu',), ('HardSigmoid', 0.3, 0.4), ('LeakyRelu', 0.05),
               ('ScaledTanh', 1.2, 0.8), ('Affine', 0.7, 0.1), ('Elu', 0.9), ('Softsign',),
               ('Softplus',), ('ThresholdedRelu', 0.2)]


def write_case(name, node, inputs, outputs):
    folder = os.path.join(OUT, name)
    os.makedirs(os.path.join(folder, 'test_data_set_0'))
    graph = helper.make_graph(
        [node], name,
        [helper.make_tensor_value_info(n, TYPES[a.dtype.type], a.shape) for n, a in inputs if a is not None],
        [helper.make_tensor_value_info(o, TensorProto.FLOAT, None) for o in outputs if o])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 14)])
    model.ir_version = 8
    onnx.save(model, os.path.join(folder, 'model.onnx'))
    k = 0
    for n, a in inputs:
        if a is not None:
            with open(os.path.join(folder, 'test_data_set_0', f'input_{k}.pb'), 'wb') as f:
                f.write(numpy_helper.from_array(a, n).SerializeToString())
            k += 1
    data = os.path.join(folder, 'test_data_set_0')
    subprocess.run(['node', RUN_JS, os.path.join(folder, 'model.onnx'), '--input-dir', data,
                    '--output-dir', data, '--optimize', 'none'], check=True, stdout=subprocess.DEVNULL)


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    rng = np.random.default_rng(20240611)
    index = 0
    for kind in ['RNN', 'GRU', 'LSTM']:
        gates = {'RNN': 1, 'GRU': 3, 'LSTM': 4}[kind]
        per_dir = {'RNN': 1, 'GRU': 2, 'LSTM': 3}[kind]
        for direction in ['forward', 'reverse', 'bidirectional']:
            for rep in range(3):
                index += 1
                S, B, I, H = (int(rng.integers(1, 6)), int(rng.integers(1, 5)),
                              int(rng.integers(1, 7)), int(rng.integers(1, 8)))
                D = 2 if direction == 'bidirectional' else 1
                attrs = dict(hidden_size=H, direction=direction)
                f32 = np.float32
                x = rng.uniform(-1, 1, (S, B, I)).astype(f32)
                w = rng.uniform(-.6, .6, (D, gates * H, I)).astype(f32)
                r = rng.uniform(-.6, .6, (D, gates * H, H)).astype(f32)
                b = rng.uniform(-.3, .3, (D, 2 * gates * H)).astype(f32) if rng.random() < .6 else None
                lens = None
                if rng.random() < .6:
                    lens = rng.integers(0 if rep == 2 else 1, S + 1, (B,)).astype(np.int32)
                    lens[0] = S
                h0 = rng.uniform(-.5, .5, (D, B, H)).astype(f32) if rng.random() < .6 else None
                inputs = [('X', x), ('W', w), ('R', r), ('B', b), ('sequence_lens', lens), ('initial_h', h0)]
                if kind == 'LSTM':
                    c0 = rng.uniform(-.5, .5, (D, B, H)).astype(f32) if rng.random() < .6 else None
                    p = rng.uniform(-.4, .4, (D, 3 * H)).astype(f32) if rng.random() < .5 else None
                    inputs += [('initial_c', c0), ('P', p)]
                    if rng.random() < .3:
                        attrs['input_forget'] = 1
                if kind == 'GRU' and rng.random() < .5:
                    attrs['linear_before_reset'] = 1
                if rng.random() < .3:
                    attrs['clip'] = float(np.float32(0.5 + 0.1 * rng.integers(0, 10)))
                if rng.random() < .4:
                    acts = [ACTIVATIONS[int(rng.integers(0, len(ACTIVATIONS)))] for _ in range(per_dir * D)]
                    attrs['activations'] = [a[0] for a in acts]
                    alphas = [a[1] for a in acts if len(a) > 1]
                    betas = [a[2] for a in acts if len(a) > 2]
                    if alphas and rng.random() < .7:
                        attrs['activation_alpha'] = alphas
                    if betas and rng.random() < .7:
                        attrs['activation_beta'] = betas
                names = [n if a is not None else '' for n, a in inputs]
                while names and not names[-1]:
                    names.pop()
                outputs = ['Y', 'Y_h'] + (['Y_c'] if kind == 'LSTM' else [])
                write_case(f'{kind.lower()}_{direction}_{index:02d}',
                           helper.make_node(kind, names, outputs, **attrs), inputs, outputs)


if __name__ == '__main__':
    main()
