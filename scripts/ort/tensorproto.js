'use strict';
// Minimal hand-written protobuf codec for onnx.TensorProto, enough for the ONNX backend-test
// layout (test_data_set_N/input_i.pb, output_i.pb). No dependency on protobuf libraries.
//
// A decoded tensor is { name, dataType, type, dims, data }:
//   dataType  ONNX TensorProto.DataType number (1 = FLOAT, ...)
//   type      the onnxruntime-common type string ('float32', 'int64', 'bool', 'float16', ...)
//   dims      array of non-negative integers (Numbers); [] is a scalar
//   data      typed array of the type onnxruntime expects: BigInt64Array for int64,
//             BigUint64Array for uint64, Uint8Array for bool, Uint16Array holding the bits for
//             float16 and bfloat16, string[] for string.
// Fields read: dims=1 (packed or not), data_type=2, float_data=4, int32_data=5, string_data=6,
// int64_data=7, name=8, raw_data=9, double_data=10, uint64_data=11, data_location=14. Others
// (segment, doc_string, external_data) are skipped; external data is rejected with an error.
// Fields written: dims (unpacked, as onnx's proto2 serializer does), data_type, name, raw_data
// (string_data for strings), so files match those written by the onnx Python package.

const fs = require('fs');
const os = require('os');

if (os.endianness() !== 'LE') {
    throw new Error('tensorproto.js assumes a little-endian host, as raw_data is little-endian');
}

// ONNX data type number -> [ort type name, typed array constructor, storage field].
// Storage field = where a tensor keeps its values when raw_data is absent (onnx.proto comments).
const kTypes = new Map([
    [1, ['float32', Float32Array, 'float_data']],
    [2, ['uint8', Uint8Array, 'int32_data']],
    [3, ['int8', Int8Array, 'int32_data']],
    [4, ['uint16', Uint16Array, 'int32_data']],
    [5, ['int16', Int16Array, 'int32_data']],
    [6, ['int32', Int32Array, 'int32_data']],
    [7, ['int64', BigInt64Array, 'int64_data']],
    [8, ['string', null, 'string_data']],
    [9, ['bool', Uint8Array, 'int32_data']],
    [10, ['float16', Uint16Array, 'int32_data']],
    [11, ['float64', Float64Array, 'double_data']],
    [12, ['uint32', Uint32Array, 'uint64_data']],
    [13, ['uint64', BigUint64Array, 'uint64_data']],
    [16, ['bfloat16', Uint16Array, 'int32_data']],
]);
const kTypeByName = new Map([...kTypes].map(([num, [name]]) => [name, num]));

const kDataTypeNames = {
    0: 'UNDEFINED', 1: 'FLOAT', 2: 'UINT8', 3: 'INT8', 4: 'UINT16', 5: 'INT16', 6: 'INT32',
    7: 'INT64', 8: 'STRING', 9: 'BOOL', 10: 'FLOAT16', 11: 'DOUBLE', 12: 'UINT32', 13: 'UINT64',
    14: 'COMPLEX64', 15: 'COMPLEX128', 16: 'BFLOAT16', 17: 'FLOAT8E4M3FN', 18: 'FLOAT8E4M3FNUZ',
    19: 'FLOAT8E5M2', 20: 'FLOAT8E5M2FNUZ', 21: 'UINT4', 22: 'INT4',
};

/** The onnxruntime type string for an ONNX data type number, or undefined. */
function ortTypeOf(dataType) {
    const t = kTypes.get(dataType);
    return t ? t[0] : undefined;
}

/** The ONNX data type number for an onnxruntime type string, or undefined. */
function dataTypeOf(ortType) {
    return kTypeByName.get(ortType);
}

// ---- wire-format reading -------------------------------------------------------------------

class Reader {
    constructor(bytes, what) {
        this.buf = bytes;
        this.pos = 0;
        this.what = what;
    }

    fail(message) {
        throw new Error(`${this.what}: ${message} at byte ${this.pos}`);
    }

    eof() {
        return this.pos >= this.buf.length;
    }

    // Unsigned varint as a BigInt (up to 64 bits).
    varintBig() {
        let result = 0n;
        let shift = 0n;
        for (let i = 0; i < 10; ++i) {
            if (this.pos >= this.buf.length) this.fail('truncated varint');
            const b = this.buf[this.pos++];
            result |= BigInt(b & 0x7f) << shift;
            if ((b & 0x80) === 0) return BigInt.asUintN(64, result);
            shift += 7n;
        }
        this.fail('varint longer than 10 bytes');
    }

    // Unsigned varint as a Number; exact below 2^53 (lengths, tags, dims, small values).
    varint() {
        let result = 0;
        let mul = 1;
        for (let i = 0; i < 10; ++i) {
            if (this.pos >= this.buf.length) this.fail('truncated varint');
            const b = this.buf[this.pos++];
            result += (b & 0x7f) * mul;
            if ((b & 0x80) === 0) return result;
            mul *= 128;
        }
        this.fail('varint longer than 10 bytes');
    }

    // Low 32 bits of a varint, as a signed 32-bit integer (int32 fields sign-extend to 64 bits).
    varint32() {
        const start = this.pos;
        let result = 0;
        for (let i = 0; i < 5; ++i) {
            if (this.pos >= this.buf.length) this.fail('truncated varint');
            const b = this.buf[this.pos++];
            result |= (b & 0x7f) << (7 * i);
            if ((b & 0x80) === 0) return result | 0;
        }
        // Bytes 6..10 only carry the upper (sign-extension) bits; skip them.
        for (let i = 5; i < 10; ++i) {
            if (this.pos >= this.buf.length) this.fail('truncated varint');
            if ((this.buf[this.pos++] & 0x80) === 0) return result | 0;
        }
        this.pos = start;
        this.fail('varint longer than 10 bytes');
    }

    bytes() {
        const len = this.varint();
        if (this.pos + len > this.buf.length) this.fail(`field of ${len} bytes runs past the end`);
        const out = this.buf.subarray(this.pos, this.pos + len);
        this.pos += len;
        return out;
    }

    fixed(n) {
        if (this.pos + n > this.buf.length) this.fail('truncated fixed-width value');
        const out = this.buf.subarray(this.pos, this.pos + n);
        this.pos += n;
        return out;
    }

    skip(wire) {
        switch (wire) {
        case 0: this.varintBig(); break;
        case 1: this.fixed(8); break;
        case 2: this.bytes(); break;
        case 5: this.fixed(4); break;
        default: this.fail(`unsupported wire type ${wire}`);
        }
    }
}

// Reads a repeated scalar field that may be packed (wire 2) or not; appends to `out`.
function readRepeated(r, wire, scalarWire, readOne, out) {
    if (wire === 2) {
        const sub = new Reader(r.bytes(), r.what);
        while (!sub.eof()) out.push(readOne(sub));
    } else if (wire === scalarWire) {
        out.push(readOne(r));
    } else {
        r.fail(`unexpected wire type ${wire} for a repeated field`);
    }
}

function readF32(r) {
    const b = r.fixed(4);
    return new DataView(b.buffer, b.byteOffset, 4).getFloat32(0, true);
}

function readF64(r) {
    const b = r.fixed(8);
    return new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true);
}

// Copies little-endian bytes into a fresh, aligned typed array.
function fromRaw(Ctor, raw, count, what) {
    const want = count * Ctor.BYTES_PER_ELEMENT;
    if (raw.length !== want) {
        throw new Error(`${what}: raw_data has ${raw.length} bytes but dims need ${want}`);
    }
    const copy = new Uint8Array(want);
    copy.set(raw);
    return new Ctor(copy.buffer, 0, count);
}

/**
 * Decodes one serialized TensorProto (Buffer or Uint8Array). `what` names the source in errors.
 * Throws Error with a message naming the file and the problem.
 */
function decodeTensor(bytes, what = 'TensorProto') {
    const r = new Reader(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), what);
    const t = {
        name: '', dataType: 0, dims: [], raw: null, location: 0,
        float_data: [], int32_data: [], string_data: [], int64_data: [], double_data: [],
        uint64_data: [],
    };
    while (!r.eof()) {
        const tag = r.varint();
        const field = Math.floor(tag / 8);
        const wire = tag & 7;
        switch (field) {
        case 1: readRepeated(r, wire, 0, (s) => Number(BigInt.asIntN(64, s.varintBig())), t.dims);
            break;
        case 2: t.dataType = r.varint(); break;
        case 4: readRepeated(r, wire, 5, readF32, t.float_data); break;
        case 5: readRepeated(r, wire, 0, (s) => s.varint32(), t.int32_data); break;
        case 6: t.string_data.push(Buffer.from(r.bytes()).toString('utf8')); break;
        case 7: readRepeated(r, wire, 0, (s) => BigInt.asIntN(64, s.varintBig()), t.int64_data);
            break;
        case 8: t.name = Buffer.from(r.bytes()).toString('utf8'); break;
        case 9: t.raw = r.bytes(); break;
        case 10: readRepeated(r, wire, 1, readF64, t.double_data); break;
        case 11: readRepeated(r, wire, 0, (s) => s.varintBig(), t.uint64_data); break;
        case 14: t.location = r.varint(); break;
        default: r.skip(wire);
        }
    }

    if (t.location === 1) {
        throw new Error(`${what}: tensor '${t.name}' keeps its data in an external file, ` +
                        'which this reader does not support');
    }
    const info = kTypes.get(t.dataType);
    if (!info) {
        const n = kDataTypeNames[t.dataType] ?? `unknown (${t.dataType})`;
        throw new Error(`${what}: tensor '${t.name}' has data type ${n}, which is not supported`);
    }
    for (const d of t.dims) {
        if (!Number.isSafeInteger(d) || d < 0) {
            throw new Error(`${what}: tensor '${t.name}' has an invalid dimension ${d}`);
        }
    }
    const [type, Ctor, field] = info;
    const count = t.dims.reduce((a, b) => a * b, 1);
    let data;
    if (type === 'string') {
        if (t.raw) throw new Error(`${what}: string tensor '${t.name}' must not use raw_data`);
        data = t.string_data;
    } else if (t.raw) {
        data = fromRaw(Ctor, t.raw, count, `${what}: tensor '${t.name}'`);
    } else {
        // Typed fields: the generic constructor converts (and wraps) each stored value; the
        // 16-bit float types keep their bit patterns in int32_data, which Uint16Array keeps.
        const values = t[field];
        if (Ctor === BigInt64Array || Ctor === BigUint64Array) {
            data = Ctor.from(values, (v) => BigInt(v));
        } else if (type === 'bool') {
            data = Ctor.from(values, (v) => (Number(v) !== 0 ? 1 : 0));
        } else {
            data = Ctor.from(values, (v) => Number(v));
        }
    }
    if (data.length !== count) {
        // SequenceProto and OptionalProto files share the test layout and look alike on the
        // wire (name=1, elem_type=2, values=3), so say so when the shape does not add up.
        const hint = ' (or the file holds a SequenceProto or OptionalProto, not a TensorProto)';
        throw new Error(`${what}: tensor '${t.name}' has ${data.length} values but dims ` +
                        `[${t.dims.join(',')}] need ${count}${hint}`);
    }
    return { name: t.name, dataType: t.dataType, type, dims: t.dims, data };
}

/** Reads and decodes a .pb file holding one TensorProto. */
function readTensorFile(path) {
    return decodeTensor(fs.readFileSync(path), path);
}

// ---- wire-format writing -------------------------------------------------------------------

function varintBytes(value) {
    // value: Number (non-negative, < 2^53) or BigInt (wrapped to 64 bits).
    let v = BigInt.asUintN(64, BigInt(value));
    const out = [];
    while (v >= 0x80n) {
        out.push(Number(v & 0x7fn) | 0x80);
        v >>= 7n;
    }
    out.push(Number(v));
    return out;
}

function lengthDelimited(field, bytes) {
    return [Buffer.from(varintBytes(field * 8 + 2)), Buffer.from(varintBytes(bytes.length)),
            Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)];
}

/**
 * Encodes a tensor { name, type | dataType, dims, data } as a TensorProto with raw_data
 * (string_data for strings). `data` is a typed array as described at the top of this file (a
 * plain array is converted); bool values are written as bytes 0/1.
 */
function encodeTensor({ name = '', type, dataType, dims, data }) {
    const num = dataType ?? dataTypeOf(type);
    const info = kTypes.get(num);
    if (!info) throw new Error(`cannot encode tensor '${name}' of type ${type ?? dataType}`);
    const [ortType, Ctor] = info;
    const count = dims.reduce((a, b) => a * b, 1);
    if (data.length !== count) {
        throw new Error(`tensor '${name}' has ${data.length} values but dims ` +
                        `[${dims.join(',')}] need ${count}`);
    }
    const parts = [];
    for (const d of dims) parts.push(Buffer.from([0x08, ...varintBytes(d)]));
    parts.push(Buffer.from([0x10, ...varintBytes(num)]));
    if (name) parts.push(...lengthDelimited(8, Buffer.from(name, 'utf8')));
    if (ortType === 'string') {
        for (const s of data) parts.push(...lengthDelimited(6, Buffer.from(String(s), 'utf8')));
    } else {
        let arr = data instanceof Ctor ? data : Ctor.from(data);
        if (ortType === 'bool') arr = Uint8Array.from(arr, (v) => (v ? 1 : 0));
        const bytes = new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
        parts.push(...lengthDelimited(9, bytes));
    }
    return Buffer.concat(parts);
}

/** Encodes and writes a tensor to a .pb file. */
function writeTensorFile(path, tensor) {
    fs.writeFileSync(path, encodeTensor(tensor));
}

// ---- 16-bit float helpers ------------------------------------------------------------------

/** IEEE half bits -> Number. */
function halfToNumber(h) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    if (exp === 0) return sign * frac * 2 ** -24;
    if (exp === 31) return frac ? NaN : sign * Infinity;
    return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** bfloat16 bits -> Number. */
function bfloat16ToNumber(h) {
    const f = new Float32Array(new Uint32Array([h << 16]).buffer);
    return f[0];
}

/** The values of a decoded tensor as Numbers (float16/bfloat16 decoded, bigint converted). */
function toNumbers(tensor) {
    const { type, data } = tensor;
    if (type === 'float16') return Float64Array.from(data, halfToNumber);
    if (type === 'bfloat16') return Float64Array.from(data, bfloat16ToNumber);
    if (type === 'string') throw new Error(`tensor '${tensor.name}' holds strings, not numbers`);
    if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
        return Float64Array.from(data, (v) => Number(v));
    }
    return data;
}

module.exports = {
    decodeTensor, encodeTensor, readTensorFile, writeTensorFile, ortTypeOf, dataTypeOf, toNumbers,
    halfToNumber, kDataTypeNames,
};
