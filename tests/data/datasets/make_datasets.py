#!/usr/bin/python3
"""Regenerates the small dataset fixtures used by tests/data_readers/ (Debian's python3 + numpy +
onnx). Deterministic: running it twice gives the same bytes (zip timestamps are fixed by numpy).

Layout:
  npy/      one .npy per dtype, big-endian, format versions 2.0 / 3.0
  *.npz     stored, deflated, streaming, ZIP64 (hand-written), preprocessing, two-input sets
  *.json    dataset descriptions
  idx/      tiny MNIST-style IDX files (gzip and raw)
  pb/       ONNX test-data folders
  models/   tiny ONNX models whose inputs/outputs the binding tests need
  bad/      deliberately broken files; bad/expected.tsv holds the exact messages
"""
import gzip
import io
import json
import os
import shutil
import struct
import zipfile
import zlib

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))


def path(*parts):
    p = os.path.join(HERE, *parts)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    return p


def write(rel, data):
    with open(path(rel), "wb") as f:
        f.write(data)


def npy_bytes(a, version=None):
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.asarray(a), version=version, allow_pickle=False)
    return buf.getvalue()


# ---- models --------------------------------------------------------------------------------------

def save_model(name, nodes, inputs, outputs, inits=()):
    g = helper.make_graph(nodes, name, inputs, outputs, initializer=list(inits))
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
    m.ir_version = 8
    onnx.checker.check_model(m)
    write("models/" + name + ".onnx", m.SerializeToString())


def ints(name, values):
    return numpy_helper.from_array(np.array(values, dtype=np.int64), name)


# image [N, 3, 2, 4] -> logits [N, 5] (the first 5 flattened values)
save_model("image",
           [helper.make_node("Flatten", ["image"], ["flat"]),
            helper.make_node("Slice", ["flat", "s0", "s5", "ax1"], ["logits"])],
           [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 3, 2, 4])],
           [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 5])],
           [ints("s0", [0]), ints("s5", [5]), ints("ax1", [1])])
# channels-last image [N, 2, 4, 3] -> logits [N, 5]
save_model("image_nhwc",
           [helper.make_node("Flatten", ["image"], ["flat"]),
            helper.make_node("Slice", ["flat", "s0", "s5", "ax1"], ["logits"])],
           [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 2, 4, 3])],
           [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 5])],
           [ints("s0", [0]), ints("s5", [5]), ints("ax1", [1])])
# MNIST-shaped with a fixed batch of 1: image [1, 1, 28, 28] -> logits [1, 10]
save_model("mnist_like",
           [helper.make_node("Flatten", ["image"], ["flat"]),
            helper.make_node("Slice", ["flat", "s0", "s10", "ax1"], ["logits"])],
           [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 1, 28, 28])],
           [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 10])],
           [ints("s0", [0]), ints("s10", [10]), ints("ax1", [1])])
# x [N, 8] -> y [N, 2], for the streaming set
save_model("wide",
           [helper.make_node("Slice", ["x", "s0", "s2", "ax1"], ["y"])],
           [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 8])],
           [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 2])],
           [ints("s0", [0]), ints("s2", [2]), ints("ax1", [1])])
# Two int64 inputs, a sentence head and a token head (like an intent/slot tagger).
save_model("two_inputs",
           [helper.make_node("Add", ["input_ids", "attention_mask"], ["sum"]),
            helper.make_node("Cast", ["sum"], ["f"], to=TensorProto.FLOAT),
            helper.make_node("Slice", ["f", "s0", "s4", "ax1"], ["intent_logits"]),
            helper.make_node("Unsqueeze", ["f", "ax2"], ["f3"]),
            helper.make_node("Tile", ["f3", "reps"], ["slot_logits"])],
           [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["N", 8]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["N", 8])],
           [helper.make_tensor_value_info("intent_logits", TensorProto.FLOAT, ["N", 4]),
            helper.make_tensor_value_info("slot_logits", TensorProto.FLOAT, ["N", 8, 5])],
           [ints("s0", [0]), ints("s4", [4]), ints("ax1", [1]), ints("ax2", [2]),
            ints("reps", [1, 1, 5])])

# ---- npy: every dtype ---------------------------------------------------------------------------

SIGNED = [[0, 1], [-2, 3], [4, -5]]
UNSIGNED = [[0, 1], [2, 3], [4, 200]]
FLOATS = [[0.5, 1.0], [-2.0, 3.25], [4.0, -5.5]]
for code, values in [("f2", FLOATS), ("f4", FLOATS), ("f8", FLOATS),
                     ("i1", SIGNED), ("i2", SIGNED), ("i4", SIGNED),
                     ("i8", [[0, 1], [-2, 3], [4, -(2 ** 40)]]),
                     ("u1", UNSIGNED), ("u2", UNSIGNED), ("u4", UNSIGNED),
                     ("u8", [[0, 1], [2, 3], [4, 2 ** 40]])]:
    write("npy/" + code + ".npy", npy_bytes(np.array(values, dtype="<" + code)))
write("npy/b1.npy", npy_bytes(np.array([[True, False], [False, True], [True, True]])))
write("npy/be_f4.npy", npy_bytes(np.array(FLOATS, dtype=">f4")))
write("npy/be_i8.npy", npy_bytes(np.array([[0, 1], [-2, 3], [4, -(2 ** 40)]], dtype=">i8")))
write("npy/f4.npy.gz", gzip.compress(npy_bytes(np.array(FLOATS, dtype="<f4")), mtime=0))
write("npy/v2.npy", npy_bytes(np.array(FLOATS, dtype="<f4"), version=(2, 0)))
write("npy/v3.npy", npy_bytes(np.array(FLOATS, dtype="<f4"), version=(3, 0)))

# ---- npz: stored and deflated, same arrays, for tests/data/models/chain.onnx ------------------------

x6 = (np.arange(24, dtype=np.float32).reshape(6, 4) / 10).astype(np.float32)
y6 = np.array([0, 1, 1, 0, 1, 0], dtype=np.int64)
np.savez(path("stored.npz"), x=x6, y=y6)
np.savez_compressed(path("deflated.npz"), x=x6, y=y6)
# Other names: bound with --input/--label or a description.
np.savez(path("renamed.npz"), features=x6, target=y6)

# A deflated member larger than the readers' 64 KiB scratch buffer, for in-order streaming.
rows = np.arange(3000, dtype=np.int64)[:, None]
cols = np.arange(8, dtype=np.int64)[None, :]
stream_x = (((rows * 7 + cols * 3) % 251) / 4.0).astype(np.float32)
stream_y = (rows[:, 0] % 2).astype(np.int64)
np.savez_compressed(path("stream.npz"), x=stream_x, y=stream_y)

# Flat images [N, 24] for an input [N, 3, 2, 4] (reshape by element count).
np.savez(path("flat.npz"), x=np.arange(72, dtype=np.float32).reshape(3, 24),
         y=np.array([0, 4, 2], dtype=np.int64))

# ---- ZIP64, written by hand: every size and offset through the ZIP64 extra field and EOCD ------

def zip64(members):
    out = io.BytesIO()
    central = []
    for name, data, deflate in members:
        if deflate:
            c = zlib.compressobj(9, zlib.DEFLATED, -15)
            comp = c.compress(data) + c.flush()
        else:
            comp = data
        crc = zlib.crc32(data)
        offset = out.tell()
        fname = name.encode()
        extra = struct.pack("<HHQQ", 1, 16, len(data), len(comp))
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034b50, 45, 0, 8 if deflate else 0, 0, 0x21,
                              crc, 0xFFFFFFFF, 0xFFFFFFFF, len(fname), len(extra)))
        out.write(fname + extra + comp)
        central.append((fname, deflate, crc, len(data), len(comp), offset))
    cd_offset = out.tell()
    for fname, deflate, crc, usize, csize, offset in central:
        extra = struct.pack("<HHQQQ", 1, 24, usize, csize, offset)
        out.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 45, 45, 0, 8 if deflate else 0,
                              0, 0x21, crc, 0xFFFFFFFF, 0xFFFFFFFF, len(fname), len(extra), 0,
                              0, 0, 0, 0xFFFFFFFF))
        out.write(fname + extra)
    cd_size = out.tell() - cd_offset
    eocd64 = out.tell()
    out.write(struct.pack("<IQHHIIQQQQ", 0x06064b50, 44, 45, 45, 0, 0, len(central),
                          len(central), cd_size, cd_offset))
    out.write(struct.pack("<IIQI", 0x07064b50, 0, eocd64, 1))
    out.write(struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF,
                          0xFFFFFFFF, 0))
    return out.getvalue()


write("zip64.npz", zip64([("x.npy", npy_bytes(x6), False), ("y.npy", npy_bytes(y6), True)]))

# ---- preprocessing: NHWC uint8 images -------------------------------------------------------------

rng = np.random.default_rng(7)
nhwc = rng.integers(0, 256, size=(4, 2, 4, 3), dtype=np.uint8)  # N, H, W, C
np.savez_compressed(path("nhwc.npz"), images=nhwc, y=np.array([0, 1, 2, 3], dtype=np.int64))
with open(path("nhwc.json"), "w") as f:
    json.dump({"description": "NHWC uint8 images fed to an NCHW float input",
               "source": "nhwc.npz",
               "inputs": {"image": {"array": "images", "scale": 1 / 255,
                                    "mean": [0.5, 0.25, 0.125], "std": [0.25, 0.5, 2.0],
                                    "layout": "NHWC->NCHW"}},
               "labels": {"logits": {"array": "y", "metric": "top5"}}}, f, indent=2)
# NCHW storage for a channels-last model.
np.savez(path("nchw.npz"), x=np.ascontiguousarray(nhwc.transpose(0, 3, 1, 2)))
with open(path("nchw_to_nhwc.json"), "w") as f:
    json.dump({"source": "nchw.npz",
               "inputs": {"image": {"array": "x", "mean": 100, "std": [1, 2, 4],
                                    "layout": "NCHW->NHWC"}}}, f, indent=2)

# ---- two inputs, sentence and token labels ------------------------------------------------------

ids = rng.integers(3, 50, size=(5, 8)).astype(np.int64)
mask = np.ones((5, 8), dtype=np.int64)
mask[:, 6:] = 0
slot = rng.integers(0, 5, size=(5, 8)).astype(np.int64)
slot[:, 6:] = -100
np.savez_compressed(path("two_inputs.npz"), input_ids=ids, attention_mask=mask,
                    intent=np.array([0, 3, 1, 2, 3], dtype=np.int64), slot=slot)
with open(path("two_inputs.json"), "w") as f:
    json.dump({"source": "two_inputs.npz",
               "inputs": {"input_ids": "input_ids", "attention_mask": {"array": "attention_mask"}},
               "labels": {"intent_logits": "intent",
                          "slot_logits": {"array": "slot", "metric": "entity_f1",
                                          "ignore_index": -100,
                                          "tag_names": {"0": "O", "1": "B-a", "2": "I-a",
                                                        "3": "B-b", "4": "I-b"}}}}, f, indent=2)

# ---- IDX --------------------------------------------------------------------------------------------

def idx(arr, code):
    a = np.asarray(arr)
    head = struct.pack(">BBBB", 0, 0, code, a.ndim) + struct.pack(">" + "I" * a.ndim, *a.shape)
    return head + a.astype(a.dtype.newbyteorder(">")).tobytes()


images = ((np.arange(4 * 28 * 28).reshape(4, 28, 28) * 13) % 256).astype(np.uint8)
labels = np.array([7, 2, 1, 0], dtype=np.uint8)
for name, data in [("idx/tiny-images-idx3-ubyte.gz", idx(images, 0x08)),
                   ("idx/tiny-labels-idx1-ubyte.gz", idx(labels, 0x08))]:
    write(name, gzip.compress(data, mtime=0))
write("idx/values-idx2-short", idx(np.array(SIGNED, dtype=np.int16), 0x0B))
write("idx/values-idx2-float", idx(np.array(FLOATS, dtype=np.float32), 0x0D))
write("idx/values-idx2-double", idx(np.array(FLOATS, dtype=np.float64), 0x0E))

# ---- ONNX test-data folders --------------------------------------------------------------------------

def pb(rel, array, name):
    write(rel, numpy_helper.from_array(np.asarray(array), name).SerializeToString())


shutil.rmtree(os.path.join(HERE, "pb"), ignore_errors=True)
for s in range(3):
    pb("pb/test_data_set_%d/input_0.pb" % s, x6[s:s + 1], "x")
    pb("pb/test_data_set_%d/output_0.pb" % s, x6[s:s + 1, :2] * 2, "y")

# ---- broken files --------------------------------------------------------------------------------

# bad/expected.tsv is written by hand; only the generated folders are cleared.
for folder in ("pb_shape", "pb_missing", "pb_empty"):
    shutil.rmtree(os.path.join(HERE, "bad", folder), ignore_errors=True)
good = npy_bytes(np.array(FLOATS, dtype="<f4"))
write("bad/truncated.npy", good[:-14])
write("bad/not_numpy.npy", b"hello, this is not an array")
write("bad/fortran.npy", npy_bytes(np.asfortranarray(np.array(FLOATS, dtype="<f4"))))
write("bad/complex.npy", npy_bytes(np.zeros((2, 2), dtype="<c8")))
write("bad/structured.npy", npy_bytes(np.zeros(2, dtype=[("a", "<f4"), ("b", "<i4")])))
write("bad/unicode.npy", npy_bytes(np.array(["ab", "cd"])))
write("bad/bad_header.npy", good.replace(b"'shape': (3, 2)", b"'shape'= (3, 2)", 1))
write("bad/version9.npy", b"\x93NUMPY\x09\x00" + good[8:])
write("bad/scalar.npy", npy_bytes(np.float32(3.0)))
write("bad/empty.npz", b"")

def member_data_start(data, info):
    """First compressed byte of a member: after the *local* header's name and extra field."""
    name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
    return info.header_offset + 30 + name_len + extra_len


deflated = open(path("deflated.npz"), "rb").read()
write("bad/truncated.npz", deflated[:len(deflated) // 2])
# An invalid deflate block type at the start of the x member: fails while its header is read.
zi = zipfile.ZipFile(path("deflated.npz")).getinfo("x.npy")
data_start = member_data_start(deflated, zi)
corrupt = bytearray(deflated)
corrupt[data_start] |= 0x06  # BTYPE = 3 (reserved)
write("bad/corrupt_header.npz", bytes(corrupt))
# Flipped bytes in the middle of stream.npz's x member: the header decodes, a later read fails.
streamed = open(path("stream.npz"), "rb").read()
zi = zipfile.ZipFile(path("stream.npz")).getinfo("x.npy")
start = member_data_start(streamed, zi)
for k in range(start + zi.compress_size // 2, start + zi.compress_size):
    bad = bytearray(streamed)
    bad[k] ^= 0xFF
    try:
        zlib.decompressobj(-15).decompress(bytes(bad[start:start + zi.compress_size]))
    except zlib.error:
        write("bad/corrupt_deflate.npz", bytes(bad))
        break
else:
    raise SystemExit("no corrupting flip found")
# A wrong CRC-32 in the central directory of the deflated y member.
crcbad = bytearray(deflated)
cd = crcbad.rfind(b"PK\x01\x02")  # y.npy is the last central directory entry
crcbad[cd + 16] ^= 0x01
write("bad/crc.npz", bytes(crcbad))
with zipfile.ZipFile(path("bad/bzip2.npz"), "w", zipfile.ZIP_BZIP2) as z:
    z.writestr(zipfile.ZipInfo("x.npy", date_time=(1980, 1, 1, 0, 0, 0)), good,
               compress_type=zipfile.ZIP_BZIP2)
with zipfile.ZipFile(path("bad/no_arrays.npz"), "w") as z:
    z.writestr(zipfile.ZipInfo("readme.txt", date_time=(1980, 1, 1, 0, 0, 0)), b"no arrays")
write("bad/bad-magic-idx3-ubyte.gz", gzip.compress(b"\x00\x00\x07\x03" + bytes(20), mtime=0))
tiny_idx = idx(images, 0x08)
write("bad/truncated-images-idx3-ubyte.gz", gzip.compress(tiny_idx, mtime=0)[:200])
write("bad/short-images-idx3-ubyte", tiny_idx[:1000])
write("bad/huge-images-idx3-ubyte.gz",
      gzip.compress(struct.pack(">BBBBIII", 0, 0, 8, 3, 2**31 - 1, 2**31 - 1, 2**31 - 1), mtime=0))

# Data that opens but does not fit the model (messages in bad/expected.tsv).
np.savez_compressed(path("bad/rows_28x27.npz"), x=np.zeros((2, 28, 27), dtype=np.float32))
np.savez(path("bad/float_ids.npz"), input_ids=ids.astype(np.float32), attention_mask=mask)
np.savez(path("bad/label_range.npz"), x=x6, y=np.array([0, 1, 1, 2, 1, 0], dtype=np.int64))
np.savez(path("bad/label_negative.npz"), x=x6, y=np.array([0, 1, -1, 0, 1, 0], dtype=np.int64))
np.savez(path("bad/label_fraction.npz"), x=x6,
         y=np.array([0, 1, 1, 0.5, 1, 0], dtype=np.float32))
np.savez(path("bad/label_rows.npz"), x=x6, y=np.zeros((6, 3), dtype=np.int64))
np.savez(path("bad/empty_set.npz"), x=np.zeros((0, 4), dtype=np.float32),
         y=np.zeros(0, dtype=np.int64))
nan = np.zeros((20, 4), dtype=np.float32)
nan[17, 2] = np.nan
np.savez(path("bad/nan.npz"), x=nan, y=np.zeros(20, dtype=np.int64))
inf = np.zeros((5, 4), dtype=np.float64)
inf[3, 0] = -np.inf
np.savez(path("bad/inf.npz"), x=inf)
np.savez(path("bad/missing.npz"), a=x6, b=y6)
np.savez(path("bad/counts.npz"), x=x6, y=y6[:5])
np.savez(path("bad/scalar_x.npz"), x=np.float32(1.0), y=y6)
with open(path("bad/syntax.json"), "w") as f:
    f.write('{"source": "../stored.npz",\n "inputs": {"x": "x",}}\n')
with open(path("bad/unknown_field.json"), "w") as f:
    json.dump({"source": "../stored.npz", "inputs": {"x": {"array": "x", "sclae": 2}}}, f)
with open(path("bad/no_source.json"), "w") as f:
    json.dump({"inputs": {"x": "x"}}, f)
with open(path("bad/bad_mean.json"), "w") as f:
    json.dump({"source": "../nhwc.npz",
               "inputs": {"image": {"array": "images", "mean": [1, 2],
                                    "layout": "NHWC->NCHW"}}}, f)
with open(path("bad/zero_std.json"), "w") as f:
    json.dump({"source": "../nhwc.npz",
               "inputs": {"image": {"array": "images", "std": [1, 0, 1],
                                    "layout": "NHWC->NCHW"}}}, f)
with open(path("bad/bad_layout.json"), "w") as f:
    json.dump({"source": "../flat.npz", "inputs": {"image": {"array": "x",
                                                             "layout": "NHWC->NCHW"}}}, f)
with open(path("bad/unknown_layout.json"), "w") as f:
    json.dump({"source": "../flat.npz", "inputs": {"image": {"array": "x", "layout": "HWC"}}}, f)
with open(path("bad/unknown_input.json"), "w") as f:
    json.dump({"source": "../stored.npz", "inputs": {"pixels": "x"}}, f)
with open(path("bad/unknown_metric.json"), "w") as f:
    json.dump({"source": "../stored.npz", "labels": {"y": {"array": "y", "metric": "f1"}}}, f)
with open(path("bad/no_tags.json"), "w") as f:
    json.dump({"source": "../two_inputs.npz",
               "labels": {"slot_logits": {"array": "slot", "metric": "entity_f1"}}}, f)
with open(path("bad/tag_count.json"), "w") as f:
    json.dump({"source": "../two_inputs.npz",
               "labels": {"slot_logits": {"array": "slot", "metric": "entity_f1",
                                          "tag_names": ["O", "B-a", "I-a", "B-b"]}}}, f)
with open(path("bad/int_scale.json"), "w") as f:
    json.dump({"source": "../two_inputs.npz",
               "inputs": {"input_ids": {"array": "input_ids", "scale": 0.5}}}, f)
with open(path("bad/top5.json"), "w") as f:
    json.dump({"source": "../stored.npz", "labels": {"y": {"array": "y", "metric": "top5"}}}, f)
pb("bad/pb_shape/test_data_set_0/input_0.pb", x6[0:1], "x")
pb("bad/pb_shape/test_data_set_1/input_0.pb", np.zeros((1, 5), dtype=np.float32), "x")
pb("bad/pb_missing/test_data_set_0/input_0.pb", x6[0:1], "x")
write("bad/pb_missing/test_data_set_1/output_0.pb",
      numpy_helper.from_array(x6[0:1, :2], "y").SerializeToString())
write("bad/pb_empty/readme.txt", b"no test data here\n")
