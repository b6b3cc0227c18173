// Integer matrix products: the exact int32 GEMM shared by the quant ops, MatMulInteger and
// QLinearMatMul. Operands are uint8/int8; products are accumulated exactly in int32 (see
// exactIntGemm for why a chunked float GEMM is exact), so results match an int32 reference
// bit for bit while running at float GEMM speed.
#include "core/ops/op_util.h"
#include "core/ops/quant_internal.h"

#include <Eigen/Core>

#include <algorithm>
#include <cstring>
#include <mutex>

namespace nnc::quant {

namespace {

using RowMatF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowMatI = Eigen::Matrix<int32_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Stride = Eigen::OuterStride<>;

} // namespace

void exactIntGemm(const float *a, int64_t lda, const float *b, int64_t ldb, int32_t *c,
                  int64_t ldc, int64_t m, int64_t k, int64_t n, float maxAbsA, float maxAbsB)
{
    Eigen::Map<RowMatI, 0, Stride> cm(c, m, n, Stride(ldc));
    const double bound = static_cast<double>(maxAbsA) * static_cast<double>(maxAbsB);
    if (k == 0 || bound == 0.0) {
        cm.setZero();
        return;
    }
    Eigen::Map<const RowMatF, 0, Stride> am(a, m, k, Stride(lda));
    Eigen::Map<const RowMatF, 0, Stride> bm(b, k, n, Stride(ldb));
    // Every partial sum of up to `chunk` products is an integer of magnitude <= 2^24, which
    // float represents exactly whatever the summation order (and with or without FMA).
    const auto chunk = std::max<int64_t>(1, static_cast<int64_t>(16777216.0 / bound));
    if (chunk >= k) {
        RowMatF t = am * bm;
        cm = t.cast<int32_t>();
        return;
    }
    cm.setZero();
    RowMatF t(m, n);
    for (int64_t k0 = 0; k0 < k; k0 += chunk) {
        const int64_t kc = std::min(chunk, k - k0);
        t.noalias() = am.middleCols(k0, kc) * bm.middleRows(k0, kc);
        cm += t.cast<int32_t>();
    }
}

namespace {

// Shapes of a numpy-style (batched, broadcast) matmul A[..., M, K] x B[..., K, N].
struct MatMulGeometry
{
    int64_t m = 1, k = 1, n = 1;
    Dims outDims;
    int64_t aMatrices = 1, bMatrices = 1;     ///< matrices stored in A and in B
    std::vector<int64_t> aIndex, bIndex;      ///< per output matrix: which A / B matrix
    bool flatA = false;   ///< B is one matrix and A's matrices are the outputs' in order
};

Result<MatMulGeometry> matmulGeometry(const Tensor &a, const Tensor &b)
{
    MatMulGeometry g;
    if (a.rank() == 0 || b.rank() == 0)
        return fail("MatMul operands must have rank 1 or more, not shapes " + dimsToString(a.dims())
                    + " and " + dimsToString(b.dims()) + ".");
    Dims ad = a.dims(), bd = b.dims();
    const bool aVec = ad.size() == 1, bVec = bd.size() == 1;
    if (aVec)
        ad.insert(ad.begin(), 1);
    if (bVec)
        bd.push_back(1);
    g.m = ad[ad.size() - 2];
    g.k = ad.back();
    g.n = bd.back();
    if (bd[bd.size() - 2] != g.k)
        return fail("inner dimensions differ: A has shape " + dimsToString(a.dims())
                    + " and B has shape " + dimsToString(b.dims()) + ".");
    const Dims aBatch(ad.begin(), ad.end() - 2), bBatch(bd.begin(), bd.end() - 2);
    auto batch = ops::broadcastShapes(aBatch, bBatch);
    if (!batch)
        return fail("batch dimensions of A " + dimsToString(a.dims()) + " and B "
                    + dimsToString(b.dims()) + " cannot be broadcast together.");
    g.aMatrices = numElements(aBatch);
    g.bMatrices = numElements(bBatch);
    const int64_t outMatrices = numElements(*batch);
    const auto as = ops::broadcastStrides(aBatch, *batch);
    const auto bs = ops::broadcastStrides(bBatch, *batch);
    g.aIndex.resize(static_cast<std::size_t>(outMatrices));
    g.bIndex.resize(static_cast<std::size_t>(outMatrices));
    std::vector<int64_t> idx(batch->size(), 0);
    for (int64_t o = 0; o < outMatrices; ++o) {
        int64_t ai = 0, bi = 0;
        for (std::size_t d = 0; d < idx.size(); ++d) {
            ai += idx[d] * as[d];
            bi += idx[d] * bs[d];
        }
        g.aIndex[static_cast<std::size_t>(o)] = ai;
        g.bIndex[static_cast<std::size_t>(o)] = bi;
        for (std::size_t d = idx.size(); d-- > 0;) {
            if (++idx[d] < (*batch)[d])
                break;
            idx[d] = 0;
        }
    }
    g.flatA = g.bMatrices == 1 && g.aMatrices == outMatrices;
    g.outDims = *batch;
    if (!aVec)
        g.outDims.push_back(g.m);
    if (!bVec)
        g.outDims.push_back(g.n);
    return g;
}

// Zero points of A: one, or one per row (M values).
Result<std::vector<int32_t>> rowZeroPoints(const Tensor *zp, const Tensor &a, int64_t m,
                                           const std::string &what)
{
    if (!zp)
        return std::vector<int32_t>{0};
    if (zp->dtype() != a.dtype())
        return fail(what + " has type " + typeText(*zp) + " but its operand has type " + typeText(a)
                    + "; they must match.");
    if (auto ok = checkScalarOrCount(*zp, m, what, "one per row of A"); !ok)
        return std::unexpected(ok.error());
    std::vector<int32_t> v(static_cast<std::size_t>(zp->numel()));
    for (int64_t i = 0; i < zp->numel(); ++i)
        v[static_cast<std::size_t>(i)] = byteAt(*zp, i);
    return v;
}

// Zero points of B: one, one per column (N values), or one per column of each B matrix
// (shape [..., 1, N] as ONNX Runtime accepts).
Result<std::vector<int32_t>> columnZeroPoints(const Tensor *zp, const Tensor &b,
                                              const MatMulGeometry &g, const std::string &what)
{
    if (!zp)
        return std::vector<int32_t>{0};
    if (zp->dtype() != b.dtype())
        return fail(what + " has type " + typeText(*zp) + " but its operand has type " + typeText(b)
                    + "; they must match.");
    const int64_t n = zp->numel();
    if (!(n == 1 || n == g.n || (n == g.n * g.bMatrices && zp->rank() == b.rank())))
        return fail(what + " has shape " + dimsToString(zp->dims()) + "; it must be a scalar, "
                    + std::to_string(g.n) + " values (one per column of B), or B's shape with "
                    "the K dimension set to 1.");
    std::vector<int32_t> v(static_cast<std::size_t>(n));
    for (int64_t i = 0; i < n; ++i)
        v[static_cast<std::size_t>(i)] = byteAt(*zp, i);
    return v;
}

// An operand widened to float with its zero points subtracted (exact small integers).
struct Widened
{
    std::vector<float> data;
    float maxAbs = 0.0f;
};

// A's rows (aMatrices * M of them) widened with zero point aZp[row % M] (or the single one).
Widened widenA(const Tensor &a, const std::vector<int32_t> &aZp, const MatMulGeometry &g)
{
    const int64_t m = g.m, k = g.k, rows = g.aMatrices * m;
    Widened w;
    w.data.resize(static_cast<std::size_t>(rows * k));
    float mx = 0.0f;
#pragma omp parallel for reduction(max : mx) if (rows * k > (1 << 18))
    for (int64_t r = 0; r < rows; ++r) {
        const int32_t z = aZp.size() == 1 ? aZp[0] : aZp[static_cast<std::size_t>(r % m)];
        mx = std::max(mx, widenBytes(a, r * k, k, [z](int64_t) { return z; }, w.data.data() + r * k));
    }
    w.maxAbs = mx;
    return w;
}

// B's rows (bMatrices * K of them) widened with per-tensor, per-column or per-matrix-column
// zero points.
Widened widenB(const Tensor &b, const std::vector<int32_t> &bZp, const MatMulGeometry &g)
{
    const int64_t k = g.k, n = g.n, rows = g.bMatrices * k;
    Widened w;
    w.data.resize(static_cast<std::size_t>(rows * n));
    float mx = 0.0f;
#pragma omp parallel for reduction(max : mx) if (rows * n > (1 << 18))
    for (int64_t r = 0; r < rows; ++r) {
        float *dst = w.data.data() + r * n;
        if (bZp.size() == 1) {
            const int32_t z0 = bZp[0];
            mx = std::max(mx, widenBytes(b, r * n, n, [z0](int64_t) { return z0; }, dst));
        } else {
            const int32_t *z = bZp.data();
            if (bZp.size() == static_cast<std::size_t>(n * g.bMatrices))
                z += (r / k) * n;
            mx = std::max(mx, widenBytes(b, r * n, n, [z](int64_t j) { return z[j]; }, dst));
        }
    }
    w.maxAbs = mx;
    return w;
}

// Keeps the widened B of the last run. B is usually a constant weight, the same bytes on every
// run, and widening it again costs about as much as the GEMM itself. The cache compares B's
// bytes with a private copy (a memcmp is several times cheaper than widening), so a hit never
// depends on how the executor allocates or reuses buffers.
class WidenedBCache
{
public:
    std::shared_ptr<const Widened> get(const Tensor &b, const std::vector<int32_t> &bZp,
                                       const MatMulGeometry &g)
    {
        const auto bytes = b.bytes();
        std::lock_guard lock(m_mutex);
        const bool hit = m_widened && m_dims == b.dims() && m_dtype == b.dtype()
                         && m_zeroPoints == bZp && m_bytes.size() == bytes.size()
                         && std::memcmp(m_bytes.data(), bytes.data(), bytes.size()) == 0;
        if (!hit) {
            m_widened = std::make_shared<const Widened>(widenB(b, bZp, g));
            m_bytes.assign(bytes.begin(), bytes.end());
            m_dims = b.dims();
            m_dtype = b.dtype();
            m_zeroPoints = bZp;
        }
        return m_widened;
    }

private:
    std::mutex m_mutex;
    std::vector<std::byte> m_bytes;
    Dims m_dims;
    DataType m_dtype = DataType::Undefined;
    std::vector<int32_t> m_zeroPoints;
    std::shared_ptr<const Widened> m_widened;
};

// B's matrices packed for the VNNI kernel, kept between runs (packing does not depend on the
// zero points). The cache holds the B tensor it packed: a tensor's buffer is shared and
// copy-on-write, so while the cache holds it nobody can change or reuse those bytes, and the
// same data pointer (with the same dims and type) means the same values. This costs no pass
// over B per run (the widened-float path's byte compare cost ~10 % of a 256 x 768 product).
class PackedBCache
{
public:
    std::shared_ptr<const std::vector<VnniPackedB>> get(const Tensor &b, const MatMulGeometry &g)
    {
        std::lock_guard lock(m_mutex);
        const bool hit = m_packed && m_source.bytes().data() == b.bytes().data()
                         && m_source.dims() == b.dims() && m_source.dtype() == b.dtype();
        if (!hit) {
            auto packed = std::make_shared<std::vector<VnniPackedB>>();
            for (int64_t i = 0; i < g.bMatrices; ++i)
                packed->push_back(packBVnni(b, i * g.k * g.n, g.k, g.n));
            m_packed = std::move(packed);
            m_source = b;
        }
        return m_packed;
    }

private:
    std::mutex m_mutex;
    Tensor m_source;   ///< the B that m_packed was made from (kept alive, so unchanged)
    std::shared_ptr<const std::vector<VnniPackedB>> m_packed;
};

// The same product as integerMatMul on the VNNI kernel, from the unwidened bytes.
void integerMatMulVnni(const Tensor &a, const std::vector<VnniPackedB> &b,
                       const std::vector<int32_t> &aZp, const std::vector<int32_t> &bZp,
                       const MatMulGeometry &g, void *acc, bool toFloat)
{
    const int64_t m = g.m, k = g.k, n = g.n;
    const auto outAt = [&](int64_t element) -> void * {
        return toFloat ? static_cast<void *>(static_cast<float *>(acc) + element)
                       : static_cast<void *>(static_cast<int32_t *>(acc) + element);
    };
    const bool aPerRow = aZp.size() != 1, bPerColumn = bZp.size() != 1;
    const bool bPerMatrix = bPerColumn && bZp.size() == static_cast<std::size_t>(n * g.bMatrices)
                            && g.bMatrices > 1;
    if (g.flatA && !aPerRow) {
        matMulIntegerVnni(a, 0, g.aMatrices * m, b[0], aZp.data(), false, bZp.data(), bPerColumn,
                          acc, n, toFloat);
        return;
    }
    for (std::size_t o = 0; o < g.aIndex.size(); ++o) {
        const int64_t bi = g.bIndex[o];
        matMulIntegerVnni(a, g.aIndex[o] * m * k, m, b[static_cast<std::size_t>(bi)], aZp.data(),
                          aPerRow, bZp.data() + (bPerMatrix ? bi * n : 0), bPerColumn,
                          outAt(static_cast<int64_t>(o) * m * n), n, toFloat);
    }
}

// acc[outMatrix, M, N] = (A - aZp) x (B - bZp), exactly, in int32.
void integerMatMul(const Widened &a, const Widened &b, const MatMulGeometry &g, int32_t *acc)
{
    const int64_t m = g.m, k = g.k, n = g.n;
    if (g.flatA) {
        exactIntGemm(a.data.data(), k, b.data.data(), n, acc, n, g.aMatrices * m, k, n, a.maxAbs,
                     b.maxAbs);
        return;
    }
    const auto outMatrices = static_cast<int64_t>(g.aIndex.size());
#pragma omp parallel for schedule(dynamic) if (outMatrices > 1)
    for (int64_t o = 0; o < outMatrices; ++o)
        exactIntGemm(a.data.data() + g.aIndex[static_cast<std::size_t>(o)] * m * k, k,
                     b.data.data() + g.bIndex[static_cast<std::size_t>(o)] * k * n, n,
                     acc + o * m * n, n, m, k, n, a.maxAbs, b.maxAbs);
}

Result<void> checkByteOperand(const Tensor *t, const char *name, const char *op)
{
    if (!t)
        return fail(std::string(op) + " needs the input " + name + ".");
    if (!isByteType(t->dtype()))
        return fail(std::string("input ") + name + " has type " + typeText(*t) + "; " + op
                    + " takes uint8 or int8.");
    return {};
}

} // namespace

namespace {

/// MatMulInteger's kernel; with toFloat its output is the int32 result converted to float.
std::unique_ptr<Kernel> matMulIntegerKernel(bool toFloat)
{
    auto cache = std::make_shared<WidenedBCache>();
    auto packedCache = std::make_shared<PackedBCache>();
    return makeKernel([cache, packedCache, toFloat](KernelContext &ctx) -> Result<void> {
        const Tensor *a = ctx.input(0);
        const Tensor *b = ctx.input(1);
        if (auto ok = checkByteOperand(a, "A", "MatMulInteger"); !ok)
            return ok;
        if (auto ok = checkByteOperand(b, "B", "MatMulInteger"); !ok)
            return ok;
        auto g = matmulGeometry(*a, *b);
        if (!g)
            return std::unexpected(g.error());
        auto az = rowZeroPoints(ctx.input(2), *a, g->m, "a_zero_point");
        if (!az)
            return std::unexpected(az.error());
        auto bz = columnZeroPoints(ctx.input(3), *b, *g, "b_zero_point");
        if (!bz)
            return std::unexpected(bz.error());
        if (vnniAvailable() && g->k > 0 && g->m * g->n > 0) {
            Tensor y(toFloat ? DataType::Float : DataType::Int32, g->outDims);
            integerMatMulVnni(*a, *packedCache->get(*b, *g), *az, *bz, *g,
                              y.mutableBytes().data(), toFloat);
            ctx.outputs[0] = std::move(y);
            return {};
        }
        Tensor y(DataType::Int32, g->outDims);
        integerMatMul(widenA(*a, *az, *g), *cache->get(*b, *bz, *g), *g, y.mutableData<int32_t>());
        ctx.outputs[0] = toFloat ? y.castTo(DataType::Float) : std::move(y);
        return {};
    });
}

} // namespace

Result<std::unique_ptr<Kernel>> makeMatMulInteger(const KernelBuildInfo &)
{
    return matMulIntegerKernel(false);
}

Result<std::unique_ptr<Kernel>> makeMatMulIntegerToFloat(const KernelBuildInfo &)
{
    return matMulIntegerKernel(true);
}

Result<std::unique_ptr<Kernel>> makeQLinearMatMul(const KernelBuildInfo &)
{
    auto cache = std::make_shared<WidenedBCache>();
    return makeKernel([cache](KernelContext &ctx) -> Result<void> {
        const Tensor *a = ctx.input(0);
        const Tensor *b = ctx.input(3);
        const Tensor *aScale = ctx.input(1);
        const Tensor *bScale = ctx.input(4);
        const Tensor *yScale = ctx.input(6);
        const Tensor *yZp = ctx.input(7);
        if (auto ok = checkByteOperand(a, "a", "QLinearMatMul"); !ok)
            return ok;
        if (auto ok = checkByteOperand(b, "b", "QLinearMatMul"); !ok)
            return ok;
        if (!aScale || !bScale || !yScale)
            return fail("QLinearMatMul needs the inputs a_scale, b_scale and y_scale.");
        auto g = matmulGeometry(*a, *b);
        if (!g)
            return std::unexpected(g.error());
        auto az = rowZeroPoints(ctx.input(2), *a, g->m, "a_zero_point");
        if (!az)
            return std::unexpected(az.error());
        auto bz = columnZeroPoints(ctx.input(5), *b, *g, "b_zero_point");
        if (!bz)
            return std::unexpected(bz.error());
        if (auto ok = checkScalarOrCount(*aScale, g->m, "a_scale", "one per row of a"); !ok)
            return ok;
        if (auto ok = checkScalarOrCount(*bScale, g->n, "b_scale", "one per column of b"); !ok)
            return ok;
        if (yScale->numel() != 1)
            return fail("y_scale has shape " + dimsToString(yScale->dims()) + "; it must be a scalar.");
        const DataType yType = yZp ? yZp->dtype() : a->dtype();
        if (!isByteType(yType))
            return fail("y_zero_point has type " + typeText(*yZp) + "; it must be uint8 or int8.");
        if (yZp && yZp->numel() != 1)
            return fail("y_zero_point has shape " + dimsToString(yZp->dims()) + "; it must be a scalar.");
        const int32_t yz = yZp ? byteAt(*yZp, 0) : 0;
        const std::vector<float> as = aScale->toFloatVector(), bs = bScale->toFloatVector();
        const float ys = yScale->toFloatVector()[0];

        const int64_t m = g->m, n = g->n, total = numElements(g->outDims);
        std::vector<int32_t> acc(static_cast<std::size_t>(total));
        integerMatMul(widenA(*a, *az, *g), *cache->get(*b, *bz, *g), *g, acc.data());
        // multiplier[row][col] = (a_scale * b_scale) / y_scale, in float as ONNX Runtime.
        std::vector<float> mult(static_cast<std::size_t>(as.size() * bs.size()));
        for (std::size_t i = 0; i < as.size(); ++i)
            for (std::size_t j = 0; j < bs.size(); ++j)
                mult[i * bs.size() + j] = as[i] * bs[j] / ys;
        Tensor y(yType, g->outDims);
        const int32_t qmin = yType == DataType::UInt8 ? 0 : -128;
        const int32_t qmax = yType == DataType::UInt8 ? 255 : 127;
        auto store = [&](auto *out) {
            using Q = std::remove_pointer_t<decltype(out)>;
#pragma omp parallel for schedule(static) if (total > (1 << 15))
            for (int64_t i = 0; i < total; ++i) {
                const int64_t row = (i / n) % m, col = i % n;
                const std::size_t r = as.size() == 1 ? 0 : static_cast<std::size_t>(row);
                const std::size_t c = bs.size() == 1 ? 0 : static_cast<std::size_t>(col);
                out[i] = static_cast<Q>(requantize(acc[static_cast<std::size_t>(i)],
                                                   mult[r * bs.size() + c], yz, qmin, qmax));
            }
        };
        if (yType == DataType::UInt8)
            store(y.mutableData<uint8_t>());
        else
            store(y.mutableData<int8_t>());
        ctx.outputs[0] = std::move(y);
        return {};
    });
}

} // namespace nnc::quant
