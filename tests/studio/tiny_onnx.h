// Writes a tiny ONNX model for the Studio tests without the project's writer or protobuf: a
// hand-encoded ModelProto (protobuf wire format) with a Conv and a Gemm whose weights are known.
#pragma once

#include <QByteArray>
#include <QString>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace tiny_onnx {

inline void varint(QByteArray &out, uint64_t v)
{
    while (v >= 0x80) {
        out.append(static_cast<char>((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out.append(static_cast<char>(v));
}

inline void tagVarint(QByteArray &out, int field, uint64_t v)
{
    varint(out, static_cast<uint64_t>(field) << 3);
    varint(out, v);
}

inline void tagBytes(QByteArray &out, int field, const QByteArray &bytes)
{
    varint(out, (static_cast<uint64_t>(field) << 3) | 2);
    varint(out, static_cast<uint64_t>(bytes.size()));
    out.append(bytes);
}

inline QByteArray floatTensor(const QByteArray &name, const std::vector<int64_t> &dims,
                              const std::vector<float> &values)
{
    QByteArray t;
    for (int64_t d : dims)
        tagVarint(t, 1, static_cast<uint64_t>(d));   // dims
    tagVarint(t, 2, 1);                               // data_type = FLOAT
    tagBytes(t, 8, name);                             // name
    tagBytes(t, 9, QByteArray(reinterpret_cast<const char *>(values.data()),
                              static_cast<qsizetype>(values.size() * sizeof(float))));  // raw_data
    return t;
}

inline QByteArray valueInfo(const QByteArray &name, const std::vector<int64_t> &dims)
{
    QByteArray shape;
    for (int64_t d : dims) {
        QByteArray dim;
        tagVarint(dim, 1, static_cast<uint64_t>(d));  // dim_value
        tagBytes(shape, 1, dim);
    }
    QByteArray tensorType;
    tagVarint(tensorType, 1, 1);                      // elem_type = FLOAT
    tagBytes(tensorType, 2, shape);
    QByteArray type;
    tagBytes(type, 1, tensorType);
    QByteArray vi;
    tagBytes(vi, 1, name);
    tagBytes(vi, 2, type);
    return vi;
}

inline QByteArray node(const QByteArray &name, const QByteArray &op,
                       const std::vector<QByteArray> &inputs, const QByteArray &output)
{
    QByteArray n;
    for (const QByteArray &in : inputs)
        tagBytes(n, 1, in);
    tagBytes(n, 2, output);
    tagBytes(n, 3, name);
    tagBytes(n, 4, op);
    return n;
}

/// conv1: W[3,2,3,3] with W[i] = (i - 27) / 10 (so min -2.7, max 2.6, one zero at i = 27);
/// fc: G[12,5] with G[j] = j / 100, except G[0] = NaN; bias B[3] = 0.
inline std::vector<float> convWeight()
{
    std::vector<float> w(54);
    for (int i = 0; i < 54; ++i)
        w[static_cast<std::size_t>(i)] = static_cast<float>(i - 27) / 10.0f;
    return w;
}

inline std::vector<float> gemmWeight()
{
    std::vector<float> g(60);
    for (int j = 0; j < 60; ++j)
        g[static_cast<std::size_t>(j)] = static_cast<float>(j) / 100.0f;
    g[0] = std::numeric_limits<float>::quiet_NaN();
    return g;
}

/// X[1,2,4,4] -> Conv(W, B) -> Y[1,3,2,2] -> Flatten -> F[1,12] -> Gemm(G) -> Z[1,5]
inline QByteArray model()
{
    QByteArray graph;
    tagBytes(graph, 1, node("conv1", "Conv", {"X", "W", "B"}, "Y"));
    tagBytes(graph, 1, node("flatten", "Flatten", {"Y"}, "F"));
    tagBytes(graph, 1, node("fc", "Gemm", {"F", "G"}, "Z"));
    tagBytes(graph, 2, "tiny");
    tagBytes(graph, 5, floatTensor("W", {3, 2, 3, 3}, convWeight()));
    tagBytes(graph, 5, floatTensor("B", {3}, {0.0f, 0.0f, 0.0f}));
    tagBytes(graph, 5, floatTensor("G", {12, 5}, gemmWeight()));
    tagBytes(graph, 11, valueInfo("X", {1, 2, 4, 4}));
    tagBytes(graph, 12, valueInfo("Z", {1, 5}));

    QByteArray opset;
    tagBytes(opset, 1, "");
    tagVarint(opset, 2, 13);

    QByteArray m;
    tagVarint(m, 1, 8);                 // ir_version
    tagBytes(m, 2, "studio-test");      // producer_name
    tagBytes(m, 7, graph);
    tagBytes(m, 8, opset);
    return m;
}

} // namespace tiny_onnx
