// ONNX protobuf -> graph IR. Everything protobuf-specific stays in this file and onnx_writer.cpp.
#include "core/model/onnx_reader.h"

#include "core/util/mapped_file.h"

#include <onnx/onnx_pb.h>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <fstream>
#include <map>
#include <queue>
#include <set>
#include <unordered_set>

namespace nnc {

namespace {

namespace fs = std::filesystem;

std::string quoted(const fs::path &p)
{
    return "'" + p.string() + "'";
}

// ---- wire-format pre-scan ------------------------------------------------------------------
// protobuf's parser only says "failed". Walking the top-level fields ourselves tells a truncated
// file (a field runs past the end, with its byte offset) from one that is not protobuf at all.

bool readVarint(std::span<const std::byte> b, std::size_t &pos, uint64_t &out)
{
    out = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= b.size())
            return false;
        const auto c = static_cast<uint8_t>(b[pos++]);
        out |= static_cast<uint64_t>(c & 0x7f) << shift;
        if (!(c & 0x80))
            return true;
    }
    return false;
}

/// Returns an empty string when the top level is well-formed protobuf, else the problem.
std::string prescan(std::span<const std::byte> b, bool &sawGraph)
{
    std::size_t pos = 0;
    sawGraph = false;
    while (pos < b.size()) {
        const std::size_t fieldStart = pos;
        uint64_t key = 0;
        if (!readVarint(b, pos, key))
            return "is truncated: a field key at byte offset " + std::to_string(fieldStart)
                   + " runs past the end of the file";
        const uint64_t field = key >> 3;
        const auto wire = static_cast<int>(key & 7);
        // ModelProto fields are 1..20; anything else at the top level means "not a model".
        if (field == 0 || field > 64)
            return "is not an ONNX model (unexpected data at byte offset "
                   + std::to_string(fieldStart) + ")";
        uint64_t v = 0;
        switch (wire) {
        case 0:
            if (!readVarint(b, pos, v))
                return "is truncated at byte offset " + std::to_string(fieldStart);
            break;
        case 1:
            if (b.size() - pos < 8)
                return "is truncated at byte offset " + std::to_string(fieldStart);
            pos += 8;
            break;
        case 5:
            if (b.size() - pos < 4)
                return "is truncated at byte offset " + std::to_string(fieldStart);
            pos += 4;
            break;
        case 2: {
            if (!readVarint(b, pos, v))
                return "is truncated at byte offset " + std::to_string(fieldStart);
            if (v > b.size() - pos)
                return "is truncated: field " + std::to_string(field) + " at byte offset "
                       + std::to_string(fieldStart) + " declares " + std::to_string(v)
                       + " bytes but only " + std::to_string(b.size() - pos) + " remain";
            if (field == 7)
                sawGraph = true;
            pos += static_cast<std::size_t>(v);
            break;
        }
        default:
            return "is not an ONNX model (invalid protobuf wire type at byte offset "
                   + std::to_string(fieldStart) + ")";
        }
    }
    return {};
}

// ---- conversion ----------------------------------------------------------------------------

/// memcpy that accepts empty ranges (an empty repeated field has a null data pointer, which
/// memcpy must not be given even for 0 bytes).
void copyBytes(void *dst, const void *src, std::size_t n)
{
    if (n > 0)
        std::memcpy(dst, src, n);
}

struct Context
{
    fs::path modelPath;
    fs::path baseDir;
    std::map<std::string, std::shared_ptr<const MappedFile>> externalFiles;
    const Progress *progress = nullptr;
};

Result<std::vector<Dim>> convertShape(const onnx::TensorShapeProto &s)
{
    std::vector<Dim> dims;
    for (const auto &d : s.dim()) {
        Dim dim;
        if (d.has_dim_value()) {
            dim.value = d.dim_value(); // exporters write -1 for "unknown": kept as not fixed
            dim.hasValue = true;
        } else if (d.has_dim_param()) {
            dim.param = d.dim_param();
        }
        dims.push_back(std::move(dim));
    }
    return dims;
}

ValueInfo convertValueInfo(const onnx::ValueInfoProto &v)
{
    ValueInfo out;
    out.name = v.name();
    if (v.has_type() && v.type().has_tensor_type()) {
        const auto &tt = v.type().tensor_type();
        out.dtype = dtypeFromOnnx(tt.elem_type()).value_or(DataType::Undefined);
        if (tt.has_shape()) {
            out.hasShape = true;
            out.shape = *convertShape(tt.shape());
        }
    }
    return out;
}

std::string tensorLabel(const onnx::TensorProto &t, std::string_view where)
{
    std::string s = "tensor '" + t.name() + "'";
    if (!where.empty())
        s += " (" + std::string(where) + ")";
    return s;
}

Result<Tensor> convertTensor(const onnx::TensorProto &t, Context &ctx, std::string_view where)
{
    const std::string label = tensorLabel(t, where);
    auto dtypeOpt = dtypeFromOnnx(t.data_type());
    if (!dtypeOpt)
        return fail(quoted(ctx.modelPath) + ": " + label + " has data type "
                    + std::to_string(t.data_type()) + ", which this program does not support.");
    const DataType dtype = *dtypeOpt;
    Dims dims(t.dims().begin(), t.dims().end());
    for (int64_t d : dims)
        if (d < 0)
            return fail(quoted(ctx.modelPath) + ": " + label + " has a negative dimension in "
                        + dimsToString(dims) + ".");
    int64_t n = 1;
    for (int64_t d : dims) {
        if (d != 0 && n > (int64_t{1} << 48) / d)
            return fail(quoted(ctx.modelPath) + ": " + label + " has an impossible shape "
                        + dimsToString(dims) + ".");
        n *= d;
    }
    const std::size_t esize = dtypeSize(dtype);

    if (dtype == DataType::String) {
        Tensor out(dtype, dims);
        if (t.string_data_size() != n)
            return fail(quoted(ctx.modelPath) + ": " + label + " has "
                        + std::to_string(t.string_data_size()) + " strings, expected "
                        + std::to_string(n) + " for shape " + dimsToString(dims) + ".");
        auto &strs = out.mutableStrings();
        for (int i = 0; i < t.string_data_size(); ++i)
            strs[static_cast<std::size_t>(i)] = t.string_data(i);
        return out;
    }

    const std::size_t expectBytes = static_cast<std::size_t>(n) * esize;

    if (t.data_location() == onnx::TensorProto::EXTERNAL) {
        std::string location;
        int64_t offset = 0;
        int64_t length = -1;
        for (const auto &kv : t.external_data()) {
            if (kv.key() == "location")
                location = kv.value();
            else if (kv.key() == "offset")
                offset = std::atoll(kv.value().c_str());
            else if (kv.key() == "length")
                length = std::atoll(kv.value().c_str());
        }
        if (location.empty())
            return fail(quoted(ctx.modelPath) + ": " + label
                        + " is stored externally but names no location.");
        const fs::path extPath = ctx.baseDir / location;
        auto it = ctx.externalFiles.find(location);
        if (it == ctx.externalFiles.end()) {
            auto mapped = MappedFile::open(extPath);
            if (!mapped)
                return fail(quoted(ctx.modelPath) + ": external data file for " + label
                            + " cannot be read: " + mapped.error().message);
            it = ctx.externalFiles.emplace(location, *mapped).first;
        }
        const auto bytes = it->second->bytes();
        const int64_t len = length < 0 ? static_cast<int64_t>(expectBytes) : length;
        if (offset < 0 || static_cast<uint64_t>(offset) + static_cast<uint64_t>(len) > bytes.size())
            return fail(quoted(ctx.modelPath) + ": external data file " + quoted(extPath)
                        + " is too short for " + label + ": it needs bytes " + std::to_string(offset)
                        + " to " + std::to_string(offset + len) + " but has "
                        + std::to_string(bytes.size()) + ".");
        if (static_cast<std::size_t>(len) != expectBytes)
            return fail(quoted(ctx.modelPath) + ": " + label + " has " + std::to_string(len)
                        + " bytes of external data, expected " + std::to_string(expectBytes)
                        + " for shape " + dimsToString(dims) + " of " + std::string(dtypeName(dtype))
                        + ".");
        const std::byte *p = bytes.data() + offset;
        if (reinterpret_cast<std::uintptr_t>(p) % 64 == 0)
            return Tensor::view(dtype, dims, it->second, p);
        Tensor out(dtype, dims); // unaligned: copy so kernels can use aligned loads
        copyBytes(out.mutableBytes().data(), p, expectBytes);
        return out;
    }

    if (t.has_raw_data()) {
        if (t.raw_data().size() != expectBytes)
            return fail(quoted(ctx.modelPath) + ": " + label + " has "
                        + std::to_string(t.raw_data().size()) + " bytes of raw data, expected "
                        + std::to_string(expectBytes) + " for shape " + dimsToString(dims) + " of "
                        + std::string(dtypeName(dtype)) + ".");
        Tensor out(dtype, dims);
        copyBytes(out.mutableBytes().data(), t.raw_data().data(), expectBytes);
        return out;
    }
    // Typed fields: the count is checked per type below before any value is copied; allocate
    // only when the stored count can match, so a corrupt shape cannot request huge memory.
    const int64_t stored = std::max({t.float_data_size(), t.double_data_size(), t.int64_data_size(),
                                     t.uint64_data_size(), t.int32_data_size()});
    if (stored != n)
        return fail(quoted(ctx.modelPath) + ": " + label + " has " + std::to_string(stored)
                    + " values, expected " + std::to_string(n) + " for shape " + dimsToString(dims)
                    + ".");
    Tensor out(dtype, dims);
    auto dst = out.mutableBytes();

    auto countError = [&](int64_t got) {
        return fail(quoted(ctx.modelPath) + ": " + label + " has " + std::to_string(got)
                    + " values, expected " + std::to_string(n) + " for shape " + dimsToString(dims)
                    + ".");
    };
    switch (dtype) {
    case DataType::Float:
        if (t.float_data_size() != n)
            return countError(t.float_data_size());
        copyBytes(dst.data(), t.float_data().data(), expectBytes);
        break;
    case DataType::Double:
        if (t.double_data_size() != n)
            return countError(t.double_data_size());
        copyBytes(dst.data(), t.double_data().data(), expectBytes);
        break;
    case DataType::Int64:
        if (t.int64_data_size() != n)
            return countError(t.int64_data_size());
        copyBytes(dst.data(), t.int64_data().data(), expectBytes);
        break;
    case DataType::UInt32: case DataType::UInt64: {
        if (t.uint64_data_size() != n)
            return countError(t.uint64_data_size());
        for (int64_t i = 0; i < n; ++i) {
            const uint64_t v = t.uint64_data(static_cast<int>(i));
            if (dtype == DataType::UInt32)
                out.mutableData<uint32_t>()[i] = static_cast<uint32_t>(v);
            else
                out.mutableData<uint64_t>()[i] = v;
        }
        break;
    }
    default: { // int32_data carries int32, int16, int8, uint16, uint8, bool, float16, bfloat16
        if (t.int32_data_size() != n)
            return countError(t.int32_data_size());
        for (int64_t i = 0; i < n; ++i) {
            const int32_t v = t.int32_data(static_cast<int>(i));
            switch (esize) {
            case 1: reinterpret_cast<uint8_t *>(dst.data())[i] = static_cast<uint8_t>(v); break;
            case 2: reinterpret_cast<uint16_t *>(dst.data())[i] = static_cast<uint16_t>(v); break;
            default: reinterpret_cast<int32_t *>(dst.data())[i] = v; break;
            }
        }
        break;
    }
    }
    return out;
}

Result<std::shared_ptr<const Graph>> convertGraph(const onnx::GraphProto &g, Context &ctx,
                                                  const std::set<std::string> &outerScope);

Result<Attribute> convertAttribute(const onnx::AttributeProto &a, const Node &node, Context &ctx,
                                   const std::set<std::string> &scope)
{
    Attribute out;
    out.name = a.name();
    const std::string where = "attribute '" + a.name() + "' of node " + node.label();
    switch (a.type()) {
    case onnx::AttributeProto::FLOAT: out.kind = Attribute::Kind::Float; out.f = a.f(); break;
    case onnx::AttributeProto::INT: out.kind = Attribute::Kind::Int; out.i = a.i(); break;
    case onnx::AttributeProto::STRING: out.kind = Attribute::Kind::String; out.s = a.s(); break;
    case onnx::AttributeProto::FLOATS:
        out.kind = Attribute::Kind::Floats;
        out.floats.assign(a.floats().begin(), a.floats().end());
        break;
    case onnx::AttributeProto::INTS:
        out.kind = Attribute::Kind::Ints;
        out.ints.assign(a.ints().begin(), a.ints().end());
        break;
    case onnx::AttributeProto::STRINGS:
        out.kind = Attribute::Kind::Strings;
        out.strings.assign(a.strings().begin(), a.strings().end());
        break;
    case onnx::AttributeProto::TENSOR: {
        out.kind = Attribute::Kind::Tensor;
        auto t = convertTensor(a.t(), ctx, where);
        if (!t)
            return std::unexpected(t.error());
        out.t = std::move(*t);
        break;
    }
    case onnx::AttributeProto::TENSORS:
        out.kind = Attribute::Kind::Tensors;
        for (const auto &tp : a.tensors()) {
            auto t = convertTensor(tp, ctx, where);
            if (!t)
                return std::unexpected(t.error());
            out.tensors.push_back(std::move(*t));
        }
        break;
    case onnx::AttributeProto::GRAPH: {
        out.kind = Attribute::Kind::Graph;
        auto sg = convertGraph(a.g(), ctx, scope);
        if (!sg)
            return std::unexpected(sg.error());
        out.g = *sg;
        break;
    }
    case onnx::AttributeProto::GRAPHS:
        out.kind = Attribute::Kind::Graphs;
        for (const auto &gp : a.graphs()) {
            auto sg = convertGraph(gp, ctx, scope);
            if (!sg)
                return std::unexpected(sg.error());
            out.graphs.push_back(*sg);
        }
        break;
    default:
        // SPARSE_TENSOR(S), TYPE_PROTO(S): kept as undefined; no supported op reads them.
        out.kind = Attribute::Kind::Undefined;
        break;
    }
    return out;
}

/// Names a subgraph reads from its enclosing scopes.
void collectFreeNames(const Graph &g, std::set<std::string> &out)
{
    std::unordered_set<std::string> defined(g.initializerOrder.begin(), g.initializerOrder.end());
    for (const auto &v : g.inputs)
        defined.insert(v.name);
    for (const Node &n : g.nodes)
        for (const auto &o : n.outputs)
            defined.insert(o);
    for (const Node &n : g.nodes) {
        for (const auto &i : n.inputs)
            if (!i.empty() && !defined.contains(i))
                out.insert(i);
        for (const Attribute &a : n.attributes) {
            std::set<std::string> inner;
            if (a.g)
                collectFreeNames(*a.g, inner);
            for (const auto &sg : a.graphs)
                collectFreeNames(*sg, inner);
            for (const auto &name : inner)
                if (!defined.contains(name))
                    out.insert(name);
        }
    }
}

/// Sorts nodes so every node comes after the producers of its inputs (including the outer-scope
/// names its subgraphs read). Fails on cycles.
Result<void> topoSort(Graph &g, const Context &ctx)
{
    const std::size_t n = g.nodes.size();
    std::unordered_map<std::string, std::size_t> producer;
    for (std::size_t i = 0; i < n; ++i)
        for (const auto &o : g.nodes[i].outputs)
            if (!o.empty())
                producer[o] = i;
    std::vector<std::vector<std::size_t>> readers(n);
    std::vector<std::size_t> pending(n, 0);
    bool sorted = true;
    for (std::size_t i = 0; i < n; ++i) {
        std::set<std::string> needs;
        for (const auto &in : g.nodes[i].inputs)
            if (!in.empty())
                needs.insert(in);
        for (const Attribute &a : g.nodes[i].attributes) {
            if (a.g)
                collectFreeNames(*a.g, needs);
            for (const auto &sg : a.graphs)
                collectFreeNames(*sg, needs);
        }
        for (const auto &name : needs) {
            auto it = producer.find(name);
            if (it == producer.end())
                continue;
            if (it->second == i)
                return fail(quoted(ctx.modelPath) + ": node " + g.nodes[i].label()
                            + " reads its own output '" + name + "'.");
            readers[it->second].push_back(i);
            ++pending[i];
            if (it->second > i)
                sorted = false;
        }
    }
    if (sorted)
        return {};
    // Kahn's algorithm, taking ready nodes in file order so the result is deterministic.
    std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> ready;
    for (std::size_t i = 0; i < n; ++i)
        if (pending[i] == 0)
            ready.push(i);
    std::vector<Node> order;
    order.reserve(n);
    std::vector<bool> done(n, false);
    while (!ready.empty()) {
        const std::size_t i = ready.top();
        ready.pop();
        done[i] = true;
        order.push_back(std::move(g.nodes[i]));
        for (std::size_t r : readers[i])
            if (--pending[r] == 0)
                ready.push(r);
    }
    if (order.size() != n) {
        for (std::size_t i = 0; i < n; ++i)
            if (!done[i])
                return fail(quoted(ctx.modelPath) + ": the graph has a cycle through node "
                            + g.nodes[i].label() + ".");
    }
    g.nodes = std::move(order);
    return {};
}

Result<std::shared_ptr<const Graph>> convertGraph(const onnx::GraphProto &gp, Context &ctx,
                                                  const std::set<std::string> &outerScope)
{
    auto g = std::make_shared<Graph>();
    g->name = gp.name();
    const std::string graphLabel = gp.name().empty() ? std::string("the graph")
                                                     : "graph '" + gp.name() + "'";
    int64_t done = 0;
    const int64_t total = gp.initializer_size();
    for (const auto &init : gp.initializer()) {
        if (ctx.progress && ctx.progress->cancelled())
            return fail("reading " + quoted(ctx.modelPath) + " was cancelled.",
                        Error::Code::Cancelled);
        if (init.name().empty())
            return fail(quoted(ctx.modelPath) + ": " + graphLabel + " has an initializer without a name.");
        auto t = convertTensor(init, ctx, "initializer");
        if (!t)
            return std::unexpected(t.error());
        if (g->initializers.contains(init.name()))
            return fail(quoted(ctx.modelPath) + ": duplicate tensor name '" + init.name()
                        + "': two initializers share it.");
        g->initializerOrder.push_back(init.name());
        g->initializers.emplace(init.name(), std::move(*t));
        if (ctx.progress)
            ctx.progress->report(++done, total);
    }
    for (const auto &v : gp.input())
        g->inputs.push_back(convertValueInfo(v));
    for (const auto &v : gp.output())
        g->outputs.push_back(convertValueInfo(v));
    for (const auto &v : gp.value_info())
        g->valueInfo.push_back(convertValueInfo(v));

    // Names visible to this graph's nodes.
    std::set<std::string> scope = outerScope;
    std::set<std::string> inputNames;
    for (const auto &v : g->inputs) {
        if (!inputNames.insert(v.name).second)
            return fail(quoted(ctx.modelPath) + ": duplicate tensor name '" + v.name
                        + "': two graph inputs share it.");
        scope.insert(v.name);
    }
    for (const auto &name : g->initializerOrder)
        scope.insert(name);
    std::set<std::string> produced;
    for (const auto &np : gp.node())
        for (const auto &o : np.output())
            if (!o.empty()) {
                if (!produced.insert(o).second)
                    return fail(quoted(ctx.modelPath) + ": duplicate tensor name '" + o
                                + "': produced by two nodes.");
                if (g->initializers.contains(o) || inputNames.contains(o))
                    return fail(quoted(ctx.modelPath) + ": duplicate tensor name '" + o
                                + "': a node output has the name of a graph input or initializer.");
                scope.insert(o);
            }

    for (const auto &np : gp.node()) {
        Node node;
        node.name = np.name();
        node.opType = np.op_type();
        node.domain = np.domain() == "ai.onnx" ? std::string() : np.domain();
        node.inputs.assign(np.input().begin(), np.input().end());
        node.outputs.assign(np.output().begin(), np.output().end());
        for (const auto &in : node.inputs)
            if (!in.empty() && !scope.contains(in))
                return fail(quoted(ctx.modelPath) + ": node " + node.label() + " reads '" + in
                            + "', which no node, initializer or graph input provides.");
        for (const auto &ap : np.attribute()) {
            auto a = convertAttribute(ap, node, ctx, scope);
            if (!a)
                return std::unexpected(a.error());
            node.attributes.push_back(std::move(*a));
        }
        g->nodes.push_back(std::move(node));
    }
    for (const auto &o : g->outputs)
        if (!scope.contains(o.name))
            return fail(quoted(ctx.modelPath) + ": graph output '" + o.name
                        + "' is not produced by any node, initializer or input.");
    if (auto r = topoSort(*g, ctx); !r)
        return std::unexpected(r.error());
    return std::shared_ptr<const Graph>(std::move(g));
}

} // namespace

namespace {
Result<Model> readModelImpl(const std::filesystem::path &path, const Progress &progress);
Result<Tensor> readTensorFileImpl(const std::filesystem::path &path, std::string *name);
} // namespace

Result<Model> readModel(const std::filesystem::path &path, const Progress &progress)
{
    try {
        return readModelImpl(path, progress);
    } catch (const std::bad_alloc &) {
        return fail("not enough memory to read '" + path.string() + "'.");
    } catch (const std::exception &e) {
        return fail("cannot read '" + path.string() + "': " + e.what());
    }
}

Result<std::shared_ptr<const Model>> readSharedModel(const std::filesystem::path &path,
                                                     const Progress &progress)
{
    auto m = readModel(path, progress);
    if (!m)
        return std::unexpected(m.error());
    return std::make_shared<const Model>(std::move(*m));
}

Result<Tensor> readTensorFile(const std::filesystem::path &path, std::string *name)
{
    try {
        return readTensorFileImpl(path, name);
    } catch (const std::bad_alloc &) {
        return fail("not enough memory to read '" + path.string() + "'.");
    } catch (const std::exception &e) {
        return fail("cannot read '" + path.string() + "': " + e.what());
    }
}

namespace {

Result<Model> readModelImpl(const std::filesystem::path &path, const Progress &progress)
{
    auto mapped = MappedFile::open(path);
    if (!mapped)
        return fail("cannot read model: " + mapped.error().message);
    const auto bytes = (*mapped)->bytes();
    if (bytes.empty())
        return fail(quoted(path) + " is empty (0 bytes), not an ONNX model.");
    bool sawGraph = false;
    if (std::string problem = prescan(bytes, sawGraph); !problem.empty())
        return fail(quoted(path) + " " + problem + ".");
    if (!sawGraph)
        return fail(quoted(path) + " is not an ONNX model: it has no graph.");
    if (bytes.size() > static_cast<std::size_t>(INT_MAX))
        return fail(quoted(path) + " is larger than 2 GiB; store its weights as external data.");

    onnx::ModelProto proto;
    google::protobuf::io::ArrayInputStream raw(bytes.data(), static_cast<int>(bytes.size()));
    google::protobuf::io::CodedInputStream coded(&raw);
    coded.SetTotalBytesLimit(INT_MAX);
    coded.SetRecursionLimit(512);
    if (!proto.ParseFromCodedStream(&coded) || !coded.ConsumedEntireMessage())
        return fail(quoted(path) + " is not a valid ONNX model: the protobuf data is malformed.");

    Model model;
    model.path = path;
    model.irVersion = proto.ir_version();
    model.producerName = proto.producer_name();
    model.producerVersion = proto.producer_version();
    model.docString = proto.doc_string();
    if (model.irVersion < 3 || model.irVersion > 10)
        return fail(quoted(path) + " has ONNX IR version " + std::to_string(model.irVersion)
                    + "; versions 3 to 10 are supported.");
    for (const auto &op : proto.opset_import()) {
        const std::string domain = op.domain() == "ai.onnx" ? std::string() : op.domain();
        model.opsets[domain] = op.version();
    }
    if (model.opsets.empty())
        model.opsets[""] = 1; // IR 3 models without opset_import: ONNX says opset 1
    for (const auto &kv : proto.metadata_props())
        model.metadata[kv.key()] = kv.value();

    Context ctx;
    ctx.modelPath = path;
    ctx.baseDir = path.parent_path();
    ctx.progress = &progress;
    auto g = convertGraph(proto.graph(), ctx, {});
    if (!g)
        return std::unexpected(g.error());
    model.graph = **g;
    return model;
}

Result<Tensor> readTensorFileImpl(const std::filesystem::path &path, std::string *name)
{
    auto mapped = MappedFile::open(path);
    if (!mapped)
        return fail("cannot read tensor: " + mapped.error().message);
    const auto bytes = (*mapped)->bytes();
    onnx::TensorProto proto;
    if (bytes.empty() || bytes.size() > static_cast<std::size_t>(INT_MAX)
        || !proto.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
        return fail(quoted(path) + " is not an ONNX TensorProto file.");
    Context ctx;
    ctx.modelPath = path;
    ctx.baseDir = path.parent_path();
    auto t = convertTensor(proto, ctx, "");
    if (t && name)
        *name = proto.name();
    return t;
}

} // namespace

Result<void> writeTensorFile(const std::filesystem::path &path, const Tensor &tensor,
                             const std::string &name)
{
    onnx::TensorProto proto;
    proto.set_name(name);
    proto.set_data_type(static_cast<int32_t>(tensor.dtype()));
    for (int64_t d : tensor.dims())
        proto.add_dims(d);
    if (tensor.dtype() == DataType::String) {
        for (const auto &s : tensor.strings())
            proto.add_string_data(s);
    } else {
        proto.set_raw_data(tensor.bytes().data(), tensor.byteSize());
    }
    const fs::path tmp = path.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out || !proto.SerializeToOstream(&out))
            return fail("cannot write " + quoted(path) + ".");
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec)
        return fail("cannot write " + quoted(path) + ": " + ec.message() + ".");
    return {};
}

} // namespace nnc
