// Matrix products of the nn family: MatMul (numpy batched semantics), Gemm and Einsum. All
// products go through gemm() (nn_gemm_util.h): Eigen's GEMM kernel on the row-major buffers.
#include "core/ops/nn_gemm_avx512.h"
#include "core/ops/nn_gemm_util.h"
#include "core/ops/nn_internal.h"
#include "core/ops/nn_parallel.h"
#include "core/ops/op_util.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <numeric>

namespace nnc::nn {

namespace {

/// Calls f(T{}) for the element types the matrix ops support, or returns an error.
template<class F>
Result<void> dispatchNumeric(DataType t, std::string_view op, F &&f)
{
    switch (t) {
    case DataType::Float: return f(float{});
    case DataType::Double: return f(double{});
    case DataType::Int32: return f(int32_t{});
    case DataType::Int64: return f(int64_t{});
    case DataType::UInt32: return f(uint32_t{});
    case DataType::UInt64: return f(uint64_t{});
    default:
        return fail(std::string(op) + " does not support element type "
                        + std::string(dtypeName(t)) + ".",
                    Error::Code::Unsupported);
    }
}

/// Below this many multiply-adds per matrix, batches run in parallel (one GEMM per thread);
/// above it gemm() splits each product across the threads.
constexpr int64_t kSmallGemmFlops = 1 << 18;

// ---------------------------------------------------------------------------------------------
// MatMul

class MatMulKernel final : public Kernel
{
public:
    /// Plain MatMul with the defaults; com.microsoft FusedMatMul sets the transposes of the
    /// last two dims and the scale alpha.
    MatMulKernel(bool transA = false, bool transB = false, float alpha = 1.0f,
                 std::string_view op = "MatMul")
        : m_transA(transA), m_transB(transB), m_alpha(alpha), m_op(op)
    {
    }

    Result<void> run(KernelContext &ctx) override
    {
        const Tensor *a = ctx.input(0);
        const Tensor *b = ctx.input(1);
        const std::string op(m_op);
        if (!a || !b)
            return fail(op + " needs two inputs.");
        if (a->dtype() != b->dtype())
            return fail(op + " inputs have different element types ("
                        + std::string(dtypeName(a->dtype())) + " and "
                        + std::string(dtypeName(b->dtype())) + ").");
        return dispatchNumeric(a->dtype(), m_op,
                               [&](auto tag) { return compute<decltype(tag)>(*a, *b, ctx); });
    }

private:
    template<class T>
    Result<void> compute(const Tensor &a, const Tensor &b, KernelContext &ctx)
    {
        const std::string op(m_op);
        const Dims &ad = a.dims();
        const Dims &bd = b.dims();
        if (ad.empty() || bd.empty())
            return fail(op + " does not accept scalar inputs (shapes " + shapeText(a) + " and "
                        + shapeText(b) + ").");
        const std::size_t ra = ad.size(), rb = bd.size();
        // A 1-D operand is never transposed (it becomes a row or column vector).
        const bool ta = m_transA && ra > 1, tb = m_transB && rb > 1;
        const int64_t m = ra == 1 ? 1 : ad[ra - (ta ? 1 : 2)];
        const int64_t k = ra == 1 ? ad[0] : ad[ra - (ta ? 2 : 1)];
        const int64_t kb = rb == 1 ? bd[0] : bd[rb - (tb ? 1 : 2)];
        const int64_t n = rb == 1 ? 1 : bd[rb - (tb ? 2 : 1)];
        if (k != kb)
            return fail(op + " inner dimensions do not match: A has shape " + shapeText(a)
                        + " and B has shape " + shapeText(b) + ".");
        const Dims aBatch(ad.begin(), ad.end() - std::min<std::size_t>(ra, 2));
        const Dims bBatch(bd.begin(), bd.end() - std::min<std::size_t>(rb, 2));
        auto batch = ops::broadcastShapes(aBatch, bBatch);
        if (!batch)
            return fail(op + " batch dimensions cannot be broadcast: A has shape " + shapeText(a)
                        + " and B has shape " + shapeText(b) + ".");
        Dims outDims = *batch;
        if (ra > 1)
            outDims.push_back(m);
        if (rb > 1)
            outDims.push_back(n);
        Tensor y(a.dtype(), outDims);
        const int64_t nb = numElements(*batch);
        if (y.numel() == 0 || k == 0) {
            ctx.outputs[0] = std::move(y);
            return {};
        }
        const T *pa = a.data<T>();
        const T *pb = b.data<T>();
        T *py = y.mutableData<T>();
        const T alpha = static_cast<T>(m_alpha);
        // Leading dimensions of the stored (untransposed) matrices.
        const int64_t lda = ta ? m : k, ldb = tb ? k : n;
        if (numElements(bBatch) == 1 && !ta) {
            // B is one matrix: fold A's batch into rows, one big GEMM.
            gemm<T>(false, tb, nb * m, n, k, alpha, pa, lda, pb, ldb, T(0), py, n);
        } else {
            const auto sa = ops::broadcastStrides(aBatch, *batch);
            const auto sb = ops::broadcastStrides(bBatch, *batch);
            const Dims &bdims = *batch;
            auto one = [&](int64_t i) {
                int64_t oa = 0, ob = 0, rem = i;
                for (std::size_t d = bdims.size(); d-- > 0;) {
                    const int64_t idx = rem % bdims[d];
                    rem /= bdims[d];
                    oa += idx * sa[d];
                    ob += idx * sb[d];
                }
                gemm<T>(ta, tb, m, n, k, alpha, pa + oa * m * k, lda, pb + ob * k * n, ldb, T(0),
                        py + i * m * n, n);
            };
            if (m * n * k < kSmallGemmFlops && nb > 1) {
                parallelFor(nb, one);
            } else {
                for (int64_t i = 0; i < nb; ++i)
                    one(i);
            }
        }
        ctx.outputs[0] = std::move(y);
        return {};
    }

    bool m_transA, m_transB;
    float m_alpha;
    std::string_view m_op;
};

Result<std::unique_ptr<Kernel>> makeMatMul(const KernelBuildInfo &)
{
    return std::make_unique<MatMulKernel>();
}

/// com.microsoft FusedMatMul: MatMul with transposed last dims and a scale (what ONNX Runtime's
/// optimizer makes of Transpose + MatMul + Mul). Batch-dim transposes are not supported.
Result<std::unique_ptr<Kernel>> makeFusedMatMul(const KernelBuildInfo &info)
{
    const Node &n = info.node;
    if (n.attrInt("transBatchA", 0) != 0 || n.attrInt("transBatchB", 0) != 0)
        return fail("FusedMatMul with transBatchA or transBatchB is not supported.",
                    Error::Code::Unsupported);
    return std::make_unique<MatMulKernel>(n.attrInt("transA", 0) != 0, n.attrInt("transB", 0) != 0,
                                          n.attrFloat("alpha", 1.0f), "FusedMatMul");
}

// ---------------------------------------------------------------------------------------------
// Gemm

class GemmKernel final : public Kernel
{
public:
    GemmKernel(float alpha, float beta, bool transA, bool transB, Activation act = {})
        : m_alpha(alpha), m_beta(beta), m_transA(transA), m_transB(transB), m_act(act)
    {
    }

    Result<void> run(KernelContext &ctx) override
    {
        const Tensor *a = ctx.input(0);
        const Tensor *b = ctx.input(1);
        if (!a || !b)
            return fail("Gemm needs inputs A and B.");
        if (a->dtype() != b->dtype())
            return fail("Gemm inputs A and B have different element types.");
        const Tensor *c = ctx.input(2);
        if (c && c->dtype() != a->dtype())
            return fail("Gemm input C has element type " + std::string(dtypeName(c->dtype()))
                        + " but A has " + std::string(dtypeName(a->dtype())) + ".");
        return dispatchNumeric(a->dtype(), "Gemm",
                               [&](auto tag) { return compute<decltype(tag)>(*a, *b, c, ctx); });
    }

private:
    template<class T>
    Result<void> compute(const Tensor &a, const Tensor &b, const Tensor *c, KernelContext &ctx)
    {
        if (a.rank() != 2 || b.rank() != 2)
            return fail("Gemm needs 2-D A and B, got shapes " + shapeText(a) + " and "
                        + shapeText(b) + ".");
        const int64_t m = m_transA ? a.dim(1) : a.dim(0);
        const int64_t k = m_transA ? a.dim(0) : a.dim(1);
        const int64_t kb = m_transB ? b.dim(1) : b.dim(0);
        const int64_t n = m_transB ? b.dim(0) : b.dim(1);
        if (k != kb)
            return fail("Gemm inner dimensions do not match: A has shape " + shapeText(a)
                        + (m_transA ? " (transposed)" : "") + " and B has shape " + shapeText(b)
                        + (m_transB ? " (transposed)" : "") + ".");
        Tensor y(a.dtype(), {m, n});
        T *py = y.mutableData<T>();
        const T alpha = static_cast<T>(m_alpha);
        const T beta = static_cast<T>(m_beta);
        if (c && m_beta != 0.0f) {
            const Dims &cd = c->dims();
            if (cd.size() > 2)
                return fail("Gemm input C has shape " + shapeText(*c)
                            + " which does not broadcast to [" + std::to_string(m) + ", "
                            + std::to_string(n) + "].");
            const int64_t cm = cd.size() == 2 ? cd[0] : 1;
            const int64_t cn = cd.empty() ? 1 : cd.back();
            if ((cm != 1 && cm != m) || (cn != 1 && cn != n))
                return fail("Gemm input C has shape " + shapeText(*c)
                            + " which does not broadcast to [" + std::to_string(m) + ", "
                            + std::to_string(n) + "].");
            const T *pc = c->data<T>();
            for (int64_t i = 0; i < m; ++i) {
                const T *crow = pc + (cm == 1 ? 0 : i * cn);
                T *yrow = py + i * n;
                if (cn == 1)
                    std::fill(yrow, yrow + n, static_cast<T>(beta * crow[0]));
                else
                    for (int64_t j = 0; j < n; ++j)
                        yrow[j] = beta * crow[j];
            }
        }
        if (m * n == 0 || k == 0) {
            if constexpr (std::is_floating_point_v<T>) // Y = beta C (or 0), then the activation
                m_act.apply(py, m * n);
            ctx.outputs[0] = std::move(y);
            return {};
        }
        const T beta1 = c && m_beta != 0.0f ? T(1) : T(0);
        if constexpr (std::is_same_v<T, float>) {
            if (m_transB && !m_transA && m >= 8 && avx512Available()) {
                // Linear layers: B is a weight [N, K] used transposed. The AVX-512 kernel wants
                // [K, N]; keep that copy between runs. Holding the source tensor keeps its
                // buffer alive, so an equal data pointer means the same, unchanged weights.
                if (m_packedFrom.data<float>() != b.data<float>() ||
                    m_packed.size() != std::size_t(k * n)) {
                    m_packedFrom = b;
                    m_packed.resize(static_cast<std::size_t>(k * n));
                    const float *pb = b.data<float>();
                    for (int64_t j0 = 0; j0 < n; j0 += 16)
                        for (int64_t k0 = 0; k0 < k; k0 += 16)
                            for (int64_t j = j0; j < std::min(n, j0 + 16); ++j)
                                for (int64_t q = k0; q < std::min(k, k0 + 16); ++q)
                                    m_packed[static_cast<std::size_t>(q * n + j)] = pb[j * k + q];
                }
                gemm<float>(false, false, m, n, k, alpha, a.data<float>(), k, m_packed.data(), n,
                            beta1, py, n);
                m_act.apply(py, m * n);
                ctx.outputs[0] = std::move(y);
                return {};
            }
        }
        gemm<T>(m_transA, m_transB, m, n, k, alpha, a.data<T>(), a.dim(1), b.data<T>(), b.dim(1),
                beta1, py, n);
        if constexpr (std::is_floating_point_v<T>)
            m_act.apply(py, m * n);
        ctx.outputs[0] = std::move(y);
        return {};
    }

    float m_alpha, m_beta;
    bool m_transA, m_transB;
    Activation m_act;
    Tensor m_packedFrom;              ///< the B whose transpose m_packed holds
    std::vector<float> m_packed;
};

Result<std::unique_ptr<Kernel>> makeGemm(const KernelBuildInfo &info)
{
    const Node &n = info.node;
    return std::make_unique<GemmKernel>(n.attrFloat("alpha", 1.0f), n.attrFloat("beta", 1.0f),
                                        n.attrInt("transA", 0) != 0, n.attrInt("transB", 0) != 0);
}

} // namespace

Result<std::unique_ptr<Kernel>> makeGemmWithActivation(const KernelBuildInfo &info, Activation act)
{
    const Node &n = info.node;
    return std::make_unique<GemmKernel>(n.attrFloat("alpha", 1.0f), n.attrFloat("beta", 1.0f),
                                        n.attrInt("transA", 0) != 0, n.attrInt("transB", 0) != 0,
                                        act);
}

namespace {

/// com.microsoft FusedGemm: Gemm followed by an activation.
Result<std::unique_ptr<Kernel>> makeFusedGemm(const KernelBuildInfo &info)
{
    const Node &n = info.node;
    auto act = parseFusedActivation(n);
    if (!act)
        return std::unexpected(act.error());
    return std::make_unique<GemmKernel>(n.attrFloat("alpha", 1.0f), n.attrFloat("beta", 1.0f),
                                        n.attrInt("transA", 0) != 0, n.attrInt("transB", 0) != 0,
                                        *act);
}

// ---------------------------------------------------------------------------------------------
// Einsum

constexpr int kEllipsisMark = -1;
constexpr int kLetterCount = 52;   // a-z then A-Z; ellipsis dims get labels from 52 up

/// Copies `src` (dims `dims`) into `dst` with axes reordered: dst axis i is src axis perm[i].
template<class T>
void permuteCopy(const T *src, const Dims &dims, const std::vector<int> &perm, T *dst)
{
    const std::size_t r = dims.size();
    const int64_t total = numElements(dims);
    if (total == 0)
        return;
    bool identity = true;
    for (std::size_t i = 0; i < r; ++i)
        identity = identity && perm[i] == static_cast<int>(i);
    if (identity || r == 0) {
        std::copy(src, src + total, dst);
        return;
    }
    const auto srcStrides = ops::stridesOf(dims);
    Dims od(r);
    std::vector<int64_t> os(r);
    for (std::size_t i = 0; i < r; ++i) {
        od[i] = dims[static_cast<std::size_t>(perm[i])];
        os[i] = srcStrides[static_cast<std::size_t>(perm[i])];
    }
    const int64_t inner = od[r - 1];
    const int64_t innerStride = os[r - 1];
    std::vector<int64_t> idx(r, 0);
    int64_t off = 0;
    for (int64_t o = 0; o < total; o += inner) {
        for (int64_t j = 0; j < inner; ++j)
            dst[o + j] = src[off + j * innerStride];
        for (std::size_t d = r - 1; d-- > 0;) {
            ++idx[d];
            off += os[d];
            if (idx[d] < od[d])
                break;
            off -= os[d] * od[d];
            idx[d] = 0;
        }
    }
}

struct EinsumTerm
{
    std::vector<int> labels;   ///< letters 0..51, kEllipsisMark for "..."
    bool hasEllipsis = false;
};

Result<EinsumTerm> parseTerm(std::string_view s)
{
    EinsumTerm t;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char ch = s[i];
        if (ch == ' ')
            continue;
        if (ch >= 'a' && ch <= 'z')
            t.labels.push_back(ch - 'a');
        else if (ch >= 'A' && ch <= 'Z')
            t.labels.push_back(26 + ch - 'A');
        else if (ch == '.' && s.substr(i, 3) == "...") {
            if (t.hasEllipsis)
                return fail("Einsum term '" + std::string(s) + "' has more than one ellipsis.");
            t.hasEllipsis = true;
            t.labels.push_back(kEllipsisMark);
            i += 2;
        } else {
            return fail("Einsum equation has an invalid character '" + std::string(1, ch) + "'.");
        }
    }
    return t;
}

class EinsumKernel final : public Kernel
{
public:
    EinsumKernel(std::vector<EinsumTerm> inputs, std::optional<EinsumTerm> output)
        : m_inputs(std::move(inputs)), m_output(std::move(output))
    {
    }

    Result<void> run(KernelContext &ctx) override
    {
        if (ctx.inputs.size() != m_inputs.size())
            return fail("the Einsum equation has " + std::to_string(m_inputs.size())
                        + " operands but the node has " + std::to_string(ctx.inputs.size())
                        + " inputs.");
        std::vector<const Tensor *> ins;
        for (std::size_t i = 0; i < ctx.inputs.size(); ++i) {
            if (!ctx.input(i))
                return fail("Einsum input " + std::to_string(i) + " is missing.");
            ins.push_back(ctx.input(i));
            if (ins[i]->dtype() != ins[0]->dtype())
                return fail("Einsum inputs have different element types.");
        }
        return dispatchNumeric(ins[0]->dtype(), "Einsum",
                               [&](auto tag) { return compute<decltype(tag)>(ins, ctx); });
    }

private:
    template<class T>
    Result<void> compute(const std::vector<const Tensor *> &ins, KernelContext &ctx)
    {
        // Expand ellipses into labels 52.. (right-aligned, numpy broadcasting).
        const std::size_t nin = ins.size();
        int numEll = 0;
        for (std::size_t i = 0; i < nin; ++i) {
            const int letters = static_cast<int>(m_inputs[i].labels.size())
                                - (m_inputs[i].hasEllipsis ? 1 : 0);
            const int r = static_cast<int>(ins[i]->rank());
            if (m_inputs[i].hasEllipsis ? r < letters : r != letters)
                return fail("Einsum operand " + std::to_string(i) + " has shape "
                            + shapeText(*ins[i]) + " which does not match its term's "
                            + std::to_string(letters) + " labels.");
            if (m_inputs[i].hasEllipsis)
                numEll = std::max(numEll, r - letters);
        }
        const int numLabels = kLetterCount + numEll;
        std::vector<std::vector<int>> labels(nin);
        std::vector<int64_t> size(static_cast<std::size_t>(numLabels), -1);
        std::vector<int> count(static_cast<std::size_t>(numLabels), 0);
        for (std::size_t i = 0; i < nin; ++i) {
            const int r = static_cast<int>(ins[i]->rank());
            const int letters = static_cast<int>(m_inputs[i].labels.size())
                                - (m_inputs[i].hasEllipsis ? 1 : 0);
            const int ell = r - letters;
            for (int l : m_inputs[i].labels) {
                if (l == kEllipsisMark)
                    for (int e = 0; e < ell; ++e)
                        labels[i].push_back(kLetterCount + numEll - ell + e);
                else
                    labels[i].push_back(l);
            }
            for (int ax = 0; ax < r; ++ax) {
                const auto l = static_cast<std::size_t>(labels[i][static_cast<std::size_t>(ax)]);
                const int64_t d = ins[i]->dim(ax);
                ++count[l];
                if (size[l] < 0 || size[l] == 1)
                    size[l] = d;
                else if (d != size[l] && d != 1)
                    return fail("Einsum label '" + labelName(static_cast<int>(l))
                                + "' has size " + std::to_string(size[l])
                                + " in one place and " + std::to_string(d) + " in another.");
            }
        }
        std::vector<int> outLabels;
        if (m_output) {
            for (int l : m_output->labels) {
                if (l == kEllipsisMark) {
                    for (int e = 0; e < numEll; ++e)
                        outLabels.push_back(kLetterCount + e);
                    continue;
                }
                if (size[static_cast<std::size_t>(l)] < 0)
                    return fail("Einsum output label '" + labelName(l)
                                + "' does not appear in any input.");
                if (std::find(outLabels.begin(), outLabels.end(), l) != outLabels.end())
                    return fail("Einsum output label '" + labelName(l) + "' appears twice.");
                outLabels.push_back(l);
            }
        } else {
            for (int e = 0; e < numEll; ++e)
                outLabels.push_back(kLetterCount + e);
            // Implicit output: labels seen exactly once, in ASCII order (upper case first).
            for (int l = 26; l < 52; ++l)
                if (count[static_cast<std::size_t>(l)] == 1)
                    outLabels.push_back(l);
            for (int l = 0; l < 26; ++l)
                if (count[static_cast<std::size_t>(l)] == 1)
                    outLabels.push_back(l);
        }
        for (auto &s : size)
            s = std::max<int64_t>(s, 1);
        Dims outDims;
        for (int l : outLabels)
            outDims.push_back(size[static_cast<std::size_t>(l)]);
        Tensor y(ins[0]->dtype(), outDims);
        if (y.numel() > 0) {
            if (nin == 2 && gemmable(ins, labels, outLabels, size))
                contractPair<T>(ins, labels, outLabels, size, y);
            else
                contractGeneral<T>(ins, labels, outLabels, size, y.mutableData<T>());
        }
        ctx.outputs[0] = std::move(y);
        return {};
    }

    static std::string labelName(int l)
    {
        if (l < 26)
            return std::string(1, static_cast<char>('a' + l));
        if (l < kLetterCount)
            return std::string(1, static_cast<char>('A' + l - 26));
        return "...";
    }

    static bool contains(const std::vector<int> &v, int l)
    {
        return std::find(v.begin(), v.end(), l) != v.end();
    }

    /// True when two operands have no repeated or broadcast labels, so the product is a
    /// batched GEMM after transposes.
    static bool gemmable(const std::vector<const Tensor *> &ins,
                         const std::vector<std::vector<int>> &labels,
                         const std::vector<int> &outLabels, const std::vector<int64_t> &size)
    {
        for (std::size_t i = 0; i < 2; ++i) {
            for (std::size_t ax = 0; ax < labels[i].size(); ++ax) {
                const int l = labels[i][ax];
                if (ins[i]->dim(static_cast<int64_t>(ax)) != size[static_cast<std::size_t>(l)])
                    return false;
                if (std::count(labels[i].begin(), labels[i].end(), l) != 1)
                    return false;
                // A label summed away within one operand only: leave it to the general loop.
                if (!contains(outLabels, l) && !contains(labels[1 - i], l))
                    return false;
            }
        }
        for (int l : outLabels)
            if (!contains(labels[0], l) && !contains(labels[1], l))
                return false;
        return true;
    }

    /// out[outLabels] = sum over the other labels of the product of the operands.
    template<class T>
    static void contractGeneral(const std::vector<const Tensor *> &ins,
                                const std::vector<std::vector<int>> &labels,
                                const std::vector<int> &outLabels,
                                const std::vector<int64_t> &size, T *out)
    {
        std::vector<int> order = outLabels;
        for (std::size_t i = 0; i < ins.size(); ++i)
            for (int l : labels[i])
                if (!contains(order, l))
                    order.push_back(l);
        const std::size_t nl = order.size();
        const std::size_t nin = ins.size();
        // strides[i][j]: step of operand i when label order[j] advances by one.
        std::vector<std::vector<int64_t>> strides(nin, std::vector<int64_t>(nl, 0));
        for (std::size_t i = 0; i < nin; ++i) {
            const auto st = ops::stridesOf(ins[i]->dims());
            for (std::size_t ax = 0; ax < labels[i].size(); ++ax) {
                if (ins[i]->dim(static_cast<int64_t>(ax)) == 1)
                    continue;   // broadcast
                const auto j = static_cast<std::size_t>(
                    std::find(order.begin(), order.end(), labels[i][ax]) - order.begin());
                strides[i][j] += st[ax];
            }
        }
        std::vector<int64_t> dims(nl);
        for (std::size_t j = 0; j < nl; ++j)
            dims[j] = size[static_cast<std::size_t>(order[j])];
        const int64_t outCount = numElements(std::span(dims).first(outLabels.size()));
        int64_t sumCount = numElements(std::span(dims).subspan(outLabels.size()));
        std::vector<const T *> base(nin);
        for (std::size_t i = 0; i < nin; ++i)
            base[i] = ins[i]->data<T>();
        std::vector<int64_t> idx(nl, 0), off(nin, 0);
        for (int64_t o = 0; o < outCount; ++o) {
            T acc = T(0);
            for (int64_t s = 0; s < sumCount; ++s) {
                T p = T(1);
                for (std::size_t i = 0; i < nin; ++i)
                    p *= base[i][off[i]];
                acc += p;
                // advance the odometer (the last label fastest)
                for (std::size_t j = nl; j-- > 0;) {
                    ++idx[j];
                    for (std::size_t i = 0; i < nin; ++i)
                        off[i] += strides[i][j];
                    if (idx[j] < dims[j])
                        break;
                    for (std::size_t i = 0; i < nin; ++i)
                        off[i] -= strides[i][j] * dims[j];
                    idx[j] = 0;
                }
            }
            out[o] = acc;
        }
    }

    template<class T>
    static void contractPair(const std::vector<const Tensor *> &ins,
                             const std::vector<std::vector<int>> &labels,
                             const std::vector<int> &outLabels, const std::vector<int64_t> &size,
                             Tensor &y)
    {
        const auto &la = labels[0], &lb = labels[1];
        std::vector<int> batch, keepA, keepB, contracted;
        for (int l : outLabels) {
            const bool inA = contains(la, l), inB = contains(lb, l);
            (inA && inB ? batch : inA ? keepA : keepB).push_back(l);
        }
        for (int l : la)
            if (!contains(outLabels, l))
                contracted.push_back(l);
        auto prod = [&](const std::vector<int> &ls) {
            int64_t p = 1;
            for (int l : ls)
                p *= size[static_cast<std::size_t>(l)];
            return p;
        };
        const int64_t nb = prod(batch), m = prod(keepA), n = prod(keepB), k = prod(contracted);
        auto axisOf = [](const std::vector<int> &ls, int l) {
            return static_cast<int>(std::find(ls.begin(), ls.end(), l) - ls.begin());
        };
        auto permuted = [&](const Tensor &t, const std::vector<int> &ls,
                            std::vector<std::vector<int>> groups, std::vector<T> &buf) {
            std::vector<int> perm;
            for (const auto &g : groups)
                for (int l : g)
                    perm.push_back(axisOf(ls, l));
            bool identity = true;
            for (std::size_t i = 0; i < perm.size(); ++i)
                identity = identity && perm[i] == static_cast<int>(i);
            if (identity)
                return t.data<T>();
            buf.resize(static_cast<std::size_t>(t.numel()));
            permuteCopy(t.data<T>(), t.dims(), perm, buf.data());
            return static_cast<const T *>(buf.data());
        };
        std::vector<T> bufA, bufB, bufC;
        const T *pa = permuted(*ins[0], la, {batch, keepA, contracted}, bufA);
        const T *pb = permuted(*ins[1], lb, {batch, contracted, keepB}, bufB);
        // The GEMM result has labels [batch, keepA, keepB]; permute into the output order.
        std::vector<int> resLabels = batch;
        resLabels.insert(resLabels.end(), keepA.begin(), keepA.end());
        resLabels.insert(resLabels.end(), keepB.begin(), keepB.end());
        std::vector<int> perm;
        for (int l : outLabels)
            perm.push_back(axisOf(resLabels, l));
        bool identity = true;
        for (std::size_t i = 0; i < perm.size(); ++i)
            identity = identity && perm[i] == static_cast<int>(i);
        T *pc = y.mutableData<T>();
        if (!identity) {
            bufC.resize(static_cast<std::size_t>(y.numel()));
            pc = bufC.data();
        }
        auto one = [&](int64_t i) {
            gemm<T>(false, false, m, n, k, T(1), pa + i * m * k, k, pb + i * k * n, n, T(0),
                    pc + i * m * n, n);
        };
        if (m * n * k < kSmallGemmFlops && nb > 1) {
            parallelFor(nb, one);
        } else {
            for (int64_t i = 0; i < nb; ++i)
                one(i);
        }
        if (!identity) {
            Dims resDims;
            for (int l : resLabels)
                resDims.push_back(size[static_cast<std::size_t>(l)]);
            permuteCopy(static_cast<const T *>(bufC.data()), resDims, perm, y.mutableData<T>());
        }
    }

    std::vector<EinsumTerm> m_inputs;
    std::optional<EinsumTerm> m_output;
};

Result<std::unique_ptr<Kernel>> makeEinsum(const KernelBuildInfo &info)
{
    const std::string eq = info.node.attrString("equation", "");
    if (eq.empty())
        return fail("Einsum needs an 'equation' attribute.");
    const auto arrow = eq.find("->");
    const std::string lhs = eq.substr(0, arrow);
    std::vector<EinsumTerm> inputs;
    std::size_t start = 0;
    while (true) {
        const auto comma = lhs.find(',', start);
        auto term = parseTerm(std::string_view(lhs).substr(start, comma - start));
        if (!term)
            return std::unexpected(term.error());
        inputs.push_back(std::move(*term));
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    std::optional<EinsumTerm> output;
    if (arrow != std::string::npos) {
        auto term = parseTerm(std::string_view(eq).substr(arrow + 2));
        if (!term)
            return std::unexpected(term.error());
        output = std::move(*term);
    }
    return std::make_unique<EinsumKernel>(std::move(inputs), std::move(output));
}

const OpEntry kEntries[] = {
    {"", "MatMul", 1, kMaxOpset, &halfCapable<&makeMatMul>},
    {"", "Gemm", 1, kMaxOpset, &halfCapable<&makeGemm>},
    {"", "Einsum", 12, kMaxOpset, &halfCapable<&makeEinsum>},
    {"com.microsoft", "FusedMatMul", 1, kMaxOpset, &halfCapable<&makeFusedMatMul>},
    {"com.microsoft", "FusedGemm", 1, kMaxOpset, &halfCapable<&makeFusedGemm>},
};

} // namespace

std::span<const OpEntry> gemmOps()
{
    return kEntries;
}

} // namespace nnc::nn
