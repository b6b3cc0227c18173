// Graph IR -> ONNX protobuf. Everything protobuf-specific stays here and in onnx_reader.cpp.
#include "core/model/onnx_writer.h"

#include "core/util/atomic_file.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <climits>

namespace nnc {

namespace {

void writeTensor(const Tensor &t, const std::string &name, onnx::TensorProto &p)
{
    p.set_name(name);
    p.set_data_type(static_cast<int32_t>(t.dtype()));
    for (int64_t d : t.dims())
        p.add_dims(d);
    if (t.dtype() == DataType::String) {
        for (const auto &s : t.strings())
            p.add_string_data(s);
    } else if (t.byteSize() > 0) {
        p.set_raw_data(t.bytes().data(), t.byteSize());
    }
}

void writeValueInfo(const ValueInfo &v, onnx::ValueInfoProto &p)
{
    p.set_name(v.name);
    if (v.dtype == DataType::Undefined && !v.hasShape)
        return; // non-tensor or untyped: the reader kept no type
    auto *tt = p.mutable_type()->mutable_tensor_type();
    tt->set_elem_type(static_cast<int32_t>(v.dtype));
    if (!v.hasShape)
        return;
    auto *shape = tt->mutable_shape();
    for (const Dim &d : v.shape) {
        auto *dp = shape->add_dim();
        if (d.hasValue || d.value >= 0)
            dp->set_dim_value(d.value);
        else if (!d.param.empty())
            dp->set_dim_param(d.param);
    }
}

Result<void> writeGraph(const Graph &g, onnx::GraphProto &p);

Result<void> writeAttribute(const Attribute &a, const Node &n, onnx::AttributeProto &p)
{
    p.set_name(a.name);
    using K = Attribute::Kind;
    switch (a.kind) {
    case K::Float:
        p.set_type(onnx::AttributeProto::FLOAT);
        p.set_f(a.f);
        break;
    case K::Int:
        p.set_type(onnx::AttributeProto::INT);
        p.set_i(a.i);
        break;
    case K::String:
        p.set_type(onnx::AttributeProto::STRING);
        p.set_s(a.s);
        break;
    case K::Floats:
        p.set_type(onnx::AttributeProto::FLOATS);
        for (float f : a.floats)
            p.add_floats(f);
        break;
    case K::Ints:
        p.set_type(onnx::AttributeProto::INTS);
        for (int64_t i : a.ints)
            p.add_ints(i);
        break;
    case K::Strings:
        p.set_type(onnx::AttributeProto::STRINGS);
        for (const auto &s : a.strings)
            p.add_strings(s);
        break;
    case K::Tensor:
        p.set_type(onnx::AttributeProto::TENSOR);
        writeTensor(a.t, {}, *p.mutable_t());
        break;
    case K::Tensors:
        p.set_type(onnx::AttributeProto::TENSORS);
        for (const Tensor &t : a.tensors)
            writeTensor(t, {}, *p.add_tensors());
        break;
    case K::Graph:
        p.set_type(onnx::AttributeProto::GRAPH);
        if (!a.g)
            return fail("attribute '" + a.name + "' of node " + n.label() + " has no graph.");
        if (auto r = writeGraph(*a.g, *p.mutable_g()); !r)
            return r;
        break;
    case K::Graphs:
        p.set_type(onnx::AttributeProto::GRAPHS);
        for (const auto &sg : a.graphs) {
            if (!sg)
                return fail("attribute '" + a.name + "' of node " + n.label() +
                            " has an empty graph.");
            if (auto r = writeGraph(*sg, *p.add_graphs()); !r)
                return r;
        }
        break;
    case K::Undefined:
        return fail("attribute '" + a.name + "' of node " + n.label() +
                    " has a kind this program does not keep (a sparse tensor or a type), so the "
                    "model cannot be written back.");
    }
    return {};
}

Result<void> writeGraph(const Graph &g, onnx::GraphProto &p)
{
    p.set_name(g.name);
    for (const auto &name : g.initializerOrder) {
        const Tensor *t = g.initializer(name);
        if (!t)
            return fail("initializer '" + name + "' is listed but has no value.");
        writeTensor(*t, name, *p.add_initializer());
    }
    // Initializers not in the order list (added by a transformation): sorted by name, so the
    // output does not depend on hash order.
    std::vector<std::string> extra;
    for (const auto &[name, t] : g.initializers)
        if (std::find(g.initializerOrder.begin(), g.initializerOrder.end(), name) ==
            g.initializerOrder.end())
            extra.push_back(name);
    std::sort(extra.begin(), extra.end());
    for (const auto &name : extra)
        writeTensor(g.initializers.at(name), name, *p.add_initializer());
    for (const auto &v : g.inputs)
        writeValueInfo(v, *p.add_input());
    for (const auto &v : g.outputs)
        writeValueInfo(v, *p.add_output());
    for (const auto &v : g.valueInfo)
        writeValueInfo(v, *p.add_value_info());
    for (const Node &n : g.nodes) {
        auto *np = p.add_node();
        np->set_name(n.name);
        np->set_op_type(n.opType);
        if (!n.domain.empty())
            np->set_domain(n.domain);
        for (const auto &i : n.inputs)
            np->add_input(i);
        for (const auto &o : n.outputs)
            np->add_output(o);
        for (const Attribute &a : n.attributes)
            if (auto r = writeAttribute(a, n, *np->add_attribute()); !r)
                return r;
    }
    return {};
}

Result<std::string> serializeImpl(const Model &m)
{
    onnx::ModelProto proto;
    proto.set_ir_version(m.irVersion);
    if (!m.producerName.empty())
        proto.set_producer_name(m.producerName);
    if (!m.producerVersion.empty())
        proto.set_producer_version(m.producerVersion);
    if (!m.docString.empty())
        proto.set_doc_string(m.docString);
    for (const auto &[domain, version] : m.opsets) {
        auto *op = proto.add_opset_import();
        op->set_domain(domain);
        op->set_version(version);
    }
    for (const auto &[k, v] : m.metadata) {
        auto *kv = proto.add_metadata_props();
        kv->set_key(k);
        kv->set_value(v);
    }
    if (auto r = writeGraph(m.graph, *proto.mutable_graph()); !r)
        return std::unexpected(r.error());
    const std::size_t size = proto.ByteSizeLong();
    if (size > static_cast<std::size_t>(INT_MAX))
        return fail("the model is " + std::to_string(size / (1 << 20)) +
                    " MiB, over protobuf's 2 GiB limit; external data is not written yet.");
    std::string bytes;
    if (!proto.SerializeToString(&bytes))
        return fail("the model could not be serialized to ONNX protobuf.");
    return bytes;
}

} // namespace

Result<std::string> serializeModel(const Model &model)
{
    try {
        return serializeImpl(model);
    } catch (const std::bad_alloc &) {
        return fail("not enough memory to serialize the model.");
    } catch (const std::exception &e) {
        return fail(std::string("cannot serialize the model: ") + e.what());
    }
}

Result<void> writeModel(const Model &model, const std::filesystem::path &path)
{
    auto bytes = serializeModel(model);
    if (!bytes)
        return fail("cannot write '" + path.string() + "': " + bytes.error().message);
    if (auto r = writeFileAtomically(path, *bytes); !r)
        return r;
    return {};
}

} // namespace nnc
