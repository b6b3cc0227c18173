"""Shared helpers of the demo training scripts (scripts/train/README.md).

Seeding and threads, a byte-reproducible .npz writer, ONNX export and clean-up (readable
initializer names, sequence_lens on recurrent nodes, metadata), the metrics exactly as the
engine computes them (core/eval/metrics.cpp), and resources/demo/expected_accuracy.json.

Runs under Debian's /usr/bin/python3 with python3-numpy, python3-onnx and python3-torch.
"""

import io
import json
import os
import random
import subprocess
import zipfile

import numpy as np

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DEMO_DIR = os.path.join(REPO, "resources", "demo")
OPSET = 13


def import_torch(threads=2):
    """Imports torch with a clear message when Debian's package is missing; `threads` intra-op
    threads (the build machine is shared: 2 by default)."""
    try:
        import torch  # noqa: PLC0415 (imported on demand: building and testing never need it)
    except ImportError:
        raise SystemExit("PyTorch is missing: sudo apt-get install -y --no-install-recommends "
                         "python3-torch (only the training scripts need it)")
    torch.set_num_threads(threads)
    blas = loaded_blas()
    print("torch %s, %d thread(s), BLAS %s" % (torch.__version__, threads, blas))
    if blas == "reference":
        print("note: torch is calling the reference BLAS (netlib), which makes training 5 to 20 "
              "times slower; see scripts/train/README.md (OpenBLAS) for a faster setup.")
    return torch


def loaded_blas():
    """Which BLAS library this process mapped: "openblas", "reference", or the file name."""
    with open("/proc/self/maps") as f:
        libs = {line.split()[-1] for line in f if ".so" in line}
    if any("openblas" in lib for lib in libs):
        return "openblas"
    blas = [lib for lib in libs if "libblas" in lib or "blis" in lib or "mkl" in lib]
    if any(lib.endswith("/blas/libblas.so.3") for lib in blas):
        return "reference"
    return os.path.basename(blas[0]) if blas else "unknown"


def seed_everything(seed):
    """Seeds Python's, NumPy's and torch's generators (torch only when imported)."""
    random.seed(seed)
    np.random.seed(seed)
    import sys
    if "torch" in sys.modules:
        import torch
        torch.manual_seed(seed)


def save_npz(path, arrays):
    """Writes `arrays` (name -> ndarray) as a deflated .npz whose bytes depend only on the
    arrays: members in the given order, fixed timestamps (np.savez_compressed stamps the time,
    so every run would change the committed file)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, a in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(a), allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, buf.getvalue(), compresslevel=9)


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=2)
        f.write("\n")


# ---- metrics, exactly as core/eval/metrics.cpp -------------------------------------------------

def argmax_last(logits):
    """First maximum wins (std::max_element and np.argmax agree)."""
    return np.argmax(np.asarray(logits, dtype=np.float32), axis=-1)


def accuracy_counts(logits, labels, ignore_index=-100):
    pred = argmax_last(logits).reshape(-1)
    gold = np.asarray(labels).reshape(-1)
    keep = gold != ignore_index
    return int((pred[keep] == gold[keep]).sum()), int(keep.sum())


def bio_entities(tags):
    """(type, start, end) spans; an I-x after O or after another type starts a new entity."""
    out, current, start = [], None, 0
    for i, t in enumerate(tags):
        if len(t) > 2 and t[0] in "BI" and t[1] == "-":
            typ = t[2:]
            if t[0] == "B" or current != typ:
                if current is not None:
                    out.append((current, start, i))
                current, start = typ, i
        else:
            if current is not None:
                out.append((current, start, i))
            current = None
    if current is not None:
        out.append((current, start, len(tags)))
    return out


def entity_counts(logits, labels, tag_names, ignore_index=-100):
    """(true positives, predicted, gold) entity counts over positions whose label is not
    `ignore_index`."""
    pred = argmax_last(logits)
    tp = npred = ngold = 0
    for p_row, g_row in zip(pred, np.asarray(labels)):
        keep = g_row != ignore_index
        name = lambda i: tag_names[i] if 0 <= i < len(tag_names) else "O"  # noqa: E731
        g = bio_entities([name(int(i)) for i in g_row[keep]])
        p = bio_entities([name(int(i)) for i in p_row[keep]])
        ngold += len(g)
        npred += len(p)
        tp += sum(1 for e in p if e in g)
    return tp, npred, ngold


def f1_value(tp, npred, ngold):
    if ngold == 0 and npred == 0:
        return 1.0
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


# ---- ONNX export and clean-up ------------------------------------------------------------------

_ROLE_NAMES = {
    "GRU": ["X", "W", "R", "B", "sequence_lens", "initial_h"],
    "LSTM": ["X", "W", "R", "B", "sequence_lens", "initial_h", "initial_c", "P"],
    "MatMul": ["A", "weight"],
    "Gemm": ["A", "weight", "bias"],
    "Conv": ["X", "weight", "bias"],
    "Add": ["bias", "bias"],
}


def tidy_onnx(path, metadata=None, mask_input=None, doc=""):
    """Post-processes an exported model in place:
    - initializers named "onnx::..." by the exporter get the name of the node that uses them
      plus their role ("encoder.gru.W", "fc1.weight"), so layer lists read well;
    - with `mask_input` (an attention mask [batch, seq] of 0/1), every GRU/LSTM gets
      sequence_lens = Cast<int32>(ReduceSum(mask, axis 1)), so padding never enters the
      recurrence (torch trains with packed sequences: the same computation);
    - `metadata` (dict of str) becomes metadata_props; `doc` the graph's doc_string;
    then checks the model with onnx.checker."""
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(path)
    g = model.graph
    inits = {i.name for i in g.initializer}
    rename = {}
    for node in g.node:
        for k, name in enumerate(node.input):
            if name in inits and name.startswith("onnx::") and name not in rename:
                base = node.name.strip("/").replace("/", ".") or node.op_type
                base = base.rsplit(".", 1)[0] if "." in base else base
                roles = _ROLE_NAMES.get(node.op_type, [])
                role = roles[k] if k < len(roles) else "input%d" % k
                new = "%s.%s" % (base, role)
                while new in inits or new in rename.values():
                    new += "_"
                rename[name] = new
    for i in g.initializer:
        i.name = rename.get(i.name, i.name)
    for node in g.node:
        for k, name in enumerate(node.input):
            node.input[k] = rename.get(name, name)

    if mask_input is not None:
        rnn = [n for n in g.node if n.op_type in ("GRU", "LSTM")]
        if rnn and mask_input not in [i.name for i in g.input]:
            # The exporter drops an input the traced graph does not read; the mask is read
            # only by the sequence_lens computation added below. It takes the type of the
            # first input (input_ids: int64 [batch, seq]) and comes second.
            mask = onnx.ValueInfoProto()
            mask.CopyFrom(g.input[0])
            mask.name = mask_input
            g.input.insert(1, mask)
        if rnn:
            axes = numpy_helper.from_array(np.array([1], dtype=np.int64), "seq_lens.axes")
            g.initializer.append(axes)
            s = helper.make_node("ReduceSum", [mask_input, "seq_lens.axes"], ["seq_lens.sum"],
                                 name="/seq_lens/ReduceSum", keepdims=0)
            c = helper.make_node("Cast", ["seq_lens.sum"], ["seq_lens"], name="/seq_lens/Cast",
                                 to=onnx.TensorProto.INT32)
            first = min(list(g.node).index(n) for n in rnn)
            g.node.insert(first, c)
            g.node.insert(first, s)
            for n in rnn:
                while len(n.input) < 5:
                    n.input.append("")
                n.input[4] = "seq_lens"

    if metadata:
        for k, v in metadata.items():
            p = model.metadata_props.add()
            p.key, p.value = k, v
    if doc:
        g.doc_string = doc
    model.producer_name = "nncompress-studio scripts/train"
    onnx.checker.check_model(model)
    onnx.save(model, path)
    return model


def export_onnx(torch, module, args, path, input_names, output_names, dynamic_axes, **tidy):
    """torch.onnx.export at opset 13 with constant folding, in eval mode, then tidy_onnx."""
    module.eval()
    torch.onnx.export(module, args, path, opset_version=OPSET, input_names=input_names,
                      output_names=output_names, dynamic_axes=dynamic_axes,
                      do_constant_folding=True)
    return tidy_onnx(path, **tidy)


def threads_text(n):
    return "%d thread%s" % (n, "" if n == 1 else "s")


def param_count(module):
    return int(sum(p.numel() for p in module.parameters()))


def onnx_param_count(path):
    """Elements of the floating-point initializers: the model's weights (integer constants such
    as the ReduceSum axes that tidy_onnx adds are not parameters)."""
    import onnx
    from onnx import numpy_helper
    floats = (onnx.TensorProto.FLOAT, onnx.TensorProto.FLOAT16, onnx.TensorProto.DOUBLE,
              onnx.TensorProto.BFLOAT16)
    return int(sum(numpy_helper.to_array(i).size for i in onnx.load(path).graph.initializer
                   if i.data_type in floats))


def engine_check(model, data):
    """Evaluates with the built CLI (build/dev/app/cli/nncompress eval --json) when it exists;
    returns the "baseline" object of its JSON (per output: metric and value) or None. Only a
    cross-check: the test in tests/demo is the real one."""
    cli = os.path.join(REPO, "build", "dev", "app", "cli", "nncompress")
    if not os.path.exists(cli):
        return None
    r = subprocess.run([cli, "eval", model, "--data", data, "--json"], capture_output=True,
                       text=True)
    if r.returncode != 0:
        print("engine check failed:", r.stderr.strip())
        return None
    return json.loads(r.stdout).get("baseline")


def update_expected(entries, out_dir=DEMO_DIR):
    """Merges `entries` (model key -> record) into OUT_DIR/expected_accuracy.json."""
    path = os.path.join(out_dir, "expected_accuracy.json")
    data = read_json(path) if os.path.exists(path) else {}
    data.update(entries)
    write_json(path, dict(sorted(data.items())))
