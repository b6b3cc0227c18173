// MatMul, Gemm and Einsum: the Eigen-backed kernels against plain reference loops on random
// shapes with a fixed seed (batch broadcasting, 1-D operands, transposes, C broadcasting, the
// einsum GEMM fast path and its general fallback), plus error messages.
#include "core/ops/nn_gemm_avx512.h"
#include "core/ops/nn_gemm_util.h"
#include "tests/ops_nn/nn_test_util.h"

#include <QtTest/QtTest>

#include <map>
#include <xmmintrin.h>

using namespace nnc;
using namespace nnc::test;

namespace {

QString dimsText(const Dims &d)
{
    return QString::fromStdString(dimsToString(d));
}

/// numpy matmul semantics, written out plainly.
Tensor referenceMatMul(const Tensor &a, const Tensor &b)
{
    Dims ad = a.dims(), bd = b.dims();
    const bool aVec = ad.size() == 1, bVec = bd.size() == 1;
    if (aVec)
        ad.insert(ad.begin(), 1);
    if (bVec)
        bd.push_back(1);
    const std::size_t rank = std::max(ad.size(), bd.size());
    while (ad.size() < rank)
        ad.insert(ad.begin(), 1);
    while (bd.size() < rank)
        bd.insert(bd.begin(), 1);
    const int64_t m = ad[rank - 2], k = ad[rank - 1], n = bd[rank - 1];
    Dims batch(rank - 2);
    for (std::size_t i = 0; i + 2 < rank; ++i)
        batch[i] = std::max(ad[i], bd[i]);
    Dims out = batch;
    if (!aVec)
        out.push_back(m);
    if (!bVec)
        out.push_back(n);
    Tensor y(DataType::Float, out);
    const auto va = a.toFloatVector(), vb = b.toFloatVector();
    float *py = y.mutableData<float>();
    const int64_t nb = numElements(batch);
    for (int64_t bi = 0; bi < nb; ++bi) {
        // decompose bi over batch dims
        int64_t rem = bi, oa = 0, ob = 0, sa = 1, sb = 1;
        for (std::size_t d = batch.size(); d-- > 0;) {
            const int64_t idx = rem % batch[d];
            rem /= batch[d];
            oa += (ad[d] == 1 ? 0 : idx) * sa;
            ob += (bd[d] == 1 ? 0 : idx) * sb;
            sa *= ad[d];
            sb *= bd[d];
        }
        for (int64_t i = 0; i < m; ++i)
            for (int64_t j = 0; j < n; ++j) {
                double acc = 0;
                for (int64_t p = 0; p < k; ++p)
                    acc += double(va[static_cast<std::size_t>(oa * m * k + i * k + p)])
                           * vb[static_cast<std::size_t>(ob * k * n + p * n + j)];
                py[bi * m * n + i * n + j] = static_cast<float>(acc);
            }
    }
    return y;
}

/// A naive einsum: every assignment of every label, products summed into the output.
Tensor referenceEinsum(const std::string &eq, const std::vector<const Tensor *> &ins)
{
    const auto arrow = eq.find("->");
    std::vector<std::string> terms;
    std::string lhs = eq.substr(0, arrow), cur;
    for (char ch : lhs) {
        if (ch == ',') {
            terms.push_back(cur);
            cur.clear();
        } else if (ch != ' ') {
            cur += ch;
        }
    }
    terms.push_back(cur);
    std::string out = eq.substr(arrow + 2);
    std::map<char, int64_t> size;
    for (std::size_t i = 0; i < terms.size(); ++i)
        for (std::size_t ax = 0; ax < terms[i].size(); ++ax)
            size[terms[i][ax]] =
                std::max(size[terms[i][ax]], ins[i]->dim(static_cast<int64_t>(ax)));
    std::vector<char> labels;
    for (auto &[l, s] : size)
        labels.push_back(l);
    Dims od;
    for (char ch : out)
        od.push_back(size[ch]);
    Tensor y(DataType::Float, od);
    std::vector<double> acc(static_cast<std::size_t>(y.numel()), 0.0);
    std::map<char, int64_t> val;
    for (char l : labels)
        val[l] = 0;
    while (true) {
        double p = 1;
        for (std::size_t i = 0; i < terms.size(); ++i) {
            int64_t off = 0;
            for (std::size_t ax = 0; ax < terms[i].size(); ++ax) {
                const int64_t d = ins[i]->dim(static_cast<int64_t>(ax));
                off = off * d + (d == 1 ? 0 : val[terms[i][ax]]);
            }
            p *= ins[i]->data<float>()[off];
        }
        int64_t o = 0;
        for (char ch : out)
            o = o * size[ch] + val[ch];
        acc[static_cast<std::size_t>(o)] += p;
        std::size_t j = labels.size();
        while (j-- > 0) {
            if (++val[labels[j]] < size[labels[j]])
                break;
            val[labels[j]] = 0;
        }
        if (j == static_cast<std::size_t>(-1))
            break;
    }
    for (std::size_t i = 0; i < acc.size(); ++i)
        y.mutableData<float>()[i] = static_cast<float>(acc[i]);
    return y;
}

} // namespace

class TestNnGemm : public QObject
{
    Q_OBJECT

private slots:
    void matmulMatchesReferenceWithBroadcasting()
    {
        std::mt19937 rng(11);
        auto uni = [&](int64_t lo, int64_t hi) {
            return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
        };
        for (int c = 0; c < 200; ++c) {
            const int64_t m = uni(1, 9), k = uni(1, 9), n = uni(1, 9);
            const int ra = static_cast<int>(uni(1, 4)), rb = static_cast<int>(uni(1, 4));
            Dims batch;
            const int nbatch = std::max(ra, rb) - 2;
            for (int i = 0; i < nbatch; ++i)
                batch.push_back(uni(1, 3));
            Dims ad, bd;
            for (int i = 0; i < ra - 2; ++i)
                ad.push_back(uni(0, 1) ? batch[static_cast<std::size_t>(nbatch - (ra - 2) + i)]
                                       : 1);
            for (int i = 0; i < rb - 2; ++i)
                bd.push_back(uni(0, 1) ? batch[static_cast<std::size_t>(nbatch - (rb - 2) + i)]
                                       : 1);
            if (ra >= 2)
                ad.push_back(m);
            ad.push_back(k);
            bd.push_back(k);
            if (rb >= 2)
                bd.push_back(n);
            qInfo().noquote() << "case" << c << "A" << dimsText(ad) << "B" << dimsText(bd);
            const Tensor a = randomTensor(rng, ad), b = randomTensor(rng, bd);
            auto y = runNode(makeNode("MatMul", {}, 2), {&a, &b});
            QVERIFY2(y.has_value(), qPrintable(errorText(y)));
            const Tensor want = referenceMatMul(a, b);
            QVERIFY2(maxRelDiff((*y)[0], want) < 1e-5,
                     qPrintable(dimsText((*y)[0].dims()) + " vs " + dimsText(want.dims())));
        }
    }

    void matmulLargeBatchedAndIntegerTypes()
    {
        std::mt19937 rng(12);
        const Tensor a = randomTensor(rng, {2, 4, 64, 48}), b = randomTensor(rng, {2, 4, 48, 80});
        auto y = runNode(makeNode("MatMul", {}, 2), {&a, &b});
        QVERIFY(y.has_value());
        QVERIFY(maxRelDiff((*y)[0], referenceMatMul(a, b)) < 1e-5);
        const Tensor ai = Tensor::fromVector<int64_t>({2, 2}, {1, 2, 3, 4});
        const Tensor bi = Tensor::fromVector<int64_t>({2}, {5, 6});
        auto yi = runNode(makeNode("MatMul", {}, 2), {&ai, &bi});
        QVERIFY(yi.has_value());
        QCOMPARE((*yi)[0].dims(), (Dims{2}));
        QCOMPARE((*yi)[0].data<int64_t>()[0], int64_t{17});
        QCOMPARE((*yi)[0].data<int64_t>()[1], int64_t{39});
    }

    void matmulErrors()
    {
        std::mt19937 rng(13);
        const Tensor a = randomTensor(rng, {2, 3, 4}), b = randomTensor(rng, {5, 6});
        auto y = runNode(makeNode("MatMul", {}, 2), {&a, &b});
        QVERIFY(!y.has_value());
        QCOMPARE(errorText(y), QStringLiteral("MatMul inner dimensions do not match: A has shape "
                                              "[2, 3, 4] and B has shape [5, 6]."));
        const Tensor c = randomTensor(rng, {3, 4, 5}), d = randomTensor(rng, {2, 5, 6});
        y = runNode(makeNode("MatMul", {}, 2), {&c, &d});
        QVERIFY(!y.has_value());
        QCOMPARE(errorText(y), QStringLiteral("MatMul batch dimensions cannot be broadcast: A has "
                                              "shape [3, 4, 5] and B has shape [2, 5, 6]."));
        const Tensor e = Tensor::fromVector<int32_t>({4, 6}, std::vector<int32_t>(24, 1));
        y = runNode(makeNode("MatMul", {}, 2), {&c, &e});
        QVERIFY(!y.has_value());
        QCOMPARE(errorText(y), QStringLiteral("MatMul inputs have different element types "
                                              "(float and int32)."));
    }

    void gemmMatchesReferenceForAllAttributes()
    {
        std::mt19937 rng(21);
        auto uni = [&](int64_t lo, int64_t hi) {
            return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
        };
        for (int c = 0; c < 120; ++c) {
            const int64_t m = uni(1, 40), k = uni(1, 40), n = uni(1, 40);
            const bool ta = uni(0, 1), tb = uni(0, 1);
            const float alpha = float(uni(-2, 2)) * 0.5f, beta = float(uni(-2, 2)) * 0.5f;
            const int cKind = static_cast<int>(uni(0, 5)); // none, scalar, [n], [1,n], [m,1], [m,n]
            const std::vector<Dims> cShapes = {{}, {}, {n}, {1, n}, {m, 1}, {m, n}};
            const Tensor a = randomTensor(rng, ta ? Dims{k, m} : Dims{m, k});
            const Tensor b = randomTensor(rng, tb ? Dims{n, k} : Dims{k, n});
            const Tensor cm = randomTensor(rng, cShapes[static_cast<std::size_t>(cKind)]);
            qInfo().noquote() << "case" << c << "M N K" << m << n << k << "transA" << ta
                              << "transB" << tb << "alpha" << alpha << "beta" << beta << "C"
                              << (cKind == 0 ? QStringLiteral("none")
                                             : dimsText(cm.dims()));
            Node node = makeNode("Gemm", {intAttr("transA", ta), intAttr("transB", tb),
                                          floatAttr("alpha", alpha), floatAttr("beta", beta)}, 3);
            auto y = runNode(node, {&a, &b, cKind == 0 ? nullptr : &cm});
            QVERIFY2(y.has_value(), qPrintable(errorText(y)));
            Tensor want(DataType::Float, {m, n});
            for (int64_t i = 0; i < m; ++i)
                for (int64_t j = 0; j < n; ++j) {
                    double acc = 0;
                    for (int64_t p = 0; p < k; ++p)
                        acc += double(a.data<float>()[ta ? p * m + i : i * k + p])
                               * b.data<float>()[tb ? j * k + p : p * n + j];
                    double cv = 0;
                    if (cKind == 1)
                        cv = cm.data<float>()[0];
                    else if (cKind == 2 || cKind == 3)
                        cv = cm.data<float>()[j];
                    else if (cKind == 4)
                        cv = cm.data<float>()[i];
                    else if (cKind == 5)
                        cv = cm.data<float>()[i * n + j];
                    want.mutableData<float>()[i * n + j] =
                        static_cast<float>(alpha * acc + beta * cv);
                }
            QVERIFY(maxRelDiff((*y)[0], want) < 1e-5);
        }
    }

    void gemmLargeAndVectorShapesUseSplitAndGemvPaths()
    {
        // Large products are split across threads in column or row blocks; M == 1 or N == 1
        // products take the GEMV path. Check every transpose combination against the loops.
        std::mt19937 rng(23);
        const std::vector<std::array<int64_t, 3>> shapes = {
            {300, 257, 200}, {700, 90, 120}, {1, 513, 300}, {400, 1, 129}, {1, 1, 77}};
        for (const auto &[m, n, k] : shapes)
            for (int t = 0; t < 4; ++t) {
                const bool ta = t & 1, tb = t & 2;
                qInfo() << "M N K" << m << n << k << "transA" << ta << "transB" << tb;
                const Tensor a = randomTensor(rng, ta ? Dims{k, m} : Dims{m, k});
                const Tensor b = randomTensor(rng, tb ? Dims{n, k} : Dims{k, n});
                const Tensor c = randomTensor(rng, {n});
                auto y = runNode(makeNode("Gemm", {intAttr("transA", ta), intAttr("transB", tb),
                                                   floatAttr("alpha", 0.5f),
                                                   floatAttr("beta", 2.0f)}, 3),
                                 {&a, &b, &c});
                QVERIFY2(y.has_value(), qPrintable(errorText(y)));
                Tensor want(DataType::Float, {m, n});
                for (int64_t i = 0; i < m; ++i)
                    for (int64_t j = 0; j < n; ++j) {
                        double acc = 0;
                        for (int64_t p = 0; p < k; ++p)
                            acc += double(a.data<float>()[ta ? p * m + i : i * k + p])
                                   * b.data<float>()[tb ? j * k + p : p * n + j];
                        want.mutableData<float>()[i * n + j] =
                            static_cast<float>(0.5 * acc + 2.0 * c.data<float>()[j]);
                    }
                QVERIFY(maxRelDiff((*y)[0], want) < 1e-5);
            }
    }

    void fusedMatMulAndFusedGemm()
    {
        std::mt19937 rng(24);
        // FusedMatMul: transposed last dims, batch broadcast, alpha.
        const Tensor a = randomTensor(rng, {2, 3, 5, 4});   // A^T is [.., 4, 5]
        const Tensor b = randomTensor(rng, {3, 6, 5});      // B^T is [.., 5, 6]
        Node n = makeNode("FusedMatMul", {intAttr("transA", 1), intAttr("transB", 1),
                                          floatAttr("alpha", 0.5f)}, 2);
        n.domain = "com.microsoft";
        auto y = runNode(n, {&a, &b}, 1);
        QVERIFY2(y.has_value(), qPrintable(errorText(y)));
        auto transposeLast = [](const Tensor &t) {
            Dims d = t.dims();
            std::swap(d[d.size() - 1], d[d.size() - 2]);
            Tensor r(DataType::Float, d);
            const int64_t rows = t.dims()[t.dims().size() - 2], cols = t.dims().back();
            for (int64_t m = 0; m < t.numel() / (rows * cols); ++m)
                for (int64_t i = 0; i < rows; ++i)
                    for (int64_t j = 0; j < cols; ++j)
                        r.mutableData<float>()[m * rows * cols + j * rows + i] =
                            t.data<float>()[m * rows * cols + i * cols + j];
            return r;
        };
        Tensor want = referenceMatMul(transposeLast(a), transposeLast(b));
        for (float &v : want.mutableSpan<float>())
            v *= 0.5f;
        QVERIFY(maxRelDiff((*y)[0], want) < 1e-5);
        // FusedGemm with LeakyRelu given as activation_alpha.
        const Tensor ga = randomTensor(rng, {7, 9}), gb = randomTensor(rng, {9, 4});
        Node g = makeNode("FusedGemm", {stringAttr("activation", "LeakyRelu"),
                                        floatAttr("activation_alpha", 0.2f)}, 2);
        g.domain = "com.microsoft";
        auto gy = runNode(g, {&ga, &gb}, 1);
        QVERIFY2(gy.has_value(), qPrintable(errorText(gy)));
        Tensor gw = referenceMatMul(ga, gb);
        for (float &v : gw.mutableSpan<float>())
            v = v >= 0 ? v : 0.2f * v;
        QVERIFY(maxRelDiff((*gy)[0], gw) < 1e-5);
        Node bad = makeNode("FusedGemm", {stringAttr("activation", "Gelu")}, 2);
        bad.domain = "com.microsoft";
        gy = runNode(bad, {&ga, &gb}, 1);
        QVERIFY(!gy.has_value());
        QCOMPARE(errorText(gy), QStringLiteral("fused activation 'Gelu' is not supported (Relu, "
                                               "LeakyRelu, Sigmoid, Tanh, Clip, HardSigmoid)."));
    }

    void avx512KernelMatchesReference()
    {
        if (!nn::avx512Available())
            QSKIP("this CPU has no AVX-512F (or NNC_DISABLE_AVX512=1)");
        // Row tails (M % 8), column tails (N % 32, N % 16), K blocks (K > 256), strided
        // operands, bias and accumulation.
        std::mt19937 rng(25);
        const std::vector<std::array<int64_t, 3>> shapes = {
            {1, 16, 1}, {7, 33, 5}, {8, 32, 9}, {13, 47, 300}, {64, 196, 288}, {3, 100, 600}};
        for (const auto &[m, n, k] : shapes)
            for (int variant = 0; variant < 3; ++variant) {
                const bool withBias = variant == 1, accumulate = variant == 2;
                qInfo() << "M N K" << m << n << k << "bias" << withBias << "accumulate"
                        << accumulate;
                const int64_t lda = k + 3, ldb = n + 5, ldc = n + 2;
                const Tensor a = randomTensor(rng, {m, lda}), b = randomTensor(rng, {k, ldb});
                const Tensor bias = randomTensor(rng, {m});
                Tensor c = randomTensor(rng, {m, ldc});
                const Tensor c0 = c.castTo(DataType::Double);
                nn::gemmAvx512(m, n, k, a.data<float>(), lda, b.data<float>(), ldb,
                               c.mutableData<float>(), ldc, withBias ? bias.data<float>() : nullptr,
                               accumulate);
                for (int64_t i = 0; i < m; ++i)
                    for (int64_t j = 0; j < ldc; ++j) {
                        double want = c0.data<double>()[i * ldc + j];   // padding untouched
                        if (j < n) {
                            double acc =
                                accumulate ? want : (withBias ? bias.data<float>()[i] : 0.0);
                            for (int64_t p = 0; p < k; ++p)
                                acc += double(a.data<float>()[i * lda + p]) *
                                       b.data<float>()[p * ldb + j];
                            want = acc;
                        }
                        const float got = c.data<float>()[i * ldc + j];
                        QVERIFY2(std::abs(got - want) <= 1e-4 * (1 + std::abs(want)),
                                 qPrintable(QStringLiteral("at %1,%2: %3 vs %4").arg(i).arg(j)
                                                .arg(got).arg(want)));
                    }
            }
    }

    void gemmKernelReusedWithChangingWeights()
    {
        // A Gemm kernel keeps a transposed copy of B between runs (linear layers); runs with
        // other B tensors, or B rewritten in a new buffer, must not see stale weights.
        std::mt19937 rng(26);
        const Node node = makeNode("Gemm", {intAttr("transB", 1)}, 2);
        const OpEntry *e = findKernel("", "Gemm", 13);
        QVERIFY(e);
        auto kernel = e->create(KernelBuildInfo{node, 13});
        QVERIFY(kernel.has_value());
        const Tensor a = randomTensor(rng, {16, 40});
        Tensor b1 = randomTensor(rng, {24, 40});
        const Tensor b2 = randomTensor(rng, {24, 40});
        auto runWith = [&](const Tensor &b) {
            std::vector<const Tensor *> ins = {&a, &b};
            KernelContext ctx;
            ctx.inputs = ins;
            ctx.outputs.resize(1);
            auto r = (*kernel)->run(ctx);
            return r ? ctx.outputs[0] : Tensor();
        };
        auto reference = [&](const Tensor &b) {
            Tensor y(DataType::Float, {16, 24});
            for (int64_t i = 0; i < 16; ++i)
                for (int64_t j = 0; j < 24; ++j) {
                    double acc = 0;
                    for (int64_t p = 0; p < 40; ++p)
                        acc += double(a.data<float>()[i * 40 + p]) * b.data<float>()[j * 40 + p];
                    y.mutableData<float>()[i * 24 + j] = static_cast<float>(acc);
                }
            return y;
        };
        QVERIFY(maxRelDiff(runWith(b1), reference(b1)) < 1e-5);
        QVERIFY(maxRelDiff(runWith(b2), reference(b2)) < 1e-5);
        Tensor b3 = b1;                     // shares b1's buffer ...
        b3.mutableData<float>()[5] += 1.0f; // ... until written: copy on write, new buffer
        QVERIFY(maxRelDiff(runWith(b3), reference(b3)) < 1e-5);
        QVERIFY(maxRelDiff(runWith(b1), reference(b1)) < 1e-5);
    }

    void matmulOnDenormalsRestoresFloatingPointMode()
    {
        // GEMMs flush denormals (FTZ/DAZ) while they run and must restore the caller's mode
        // (the low 6 bits are sticky exception flags, not mode, so they are masked out).
        const unsigned before = _mm_getcsr() & ~0x3Fu;
        std::mt19937 rng(27);
        Tensor a = randomTensor(rng, {32, 64});
        for (float &v : a.mutableSpan<float>())
            v *= 1e-39f;   // denormal
        const Tensor b = randomTensor(rng, {64, 48});
        auto y = runNode(makeNode("MatMul", {}, 2), {&a, &b});
        QVERIFY(y.has_value());
        QCOMPARE(_mm_getcsr() & ~0x3Fu, before);
        for (float v : (*y)[0].toFloatVector())
            QVERIFY(std::abs(v) < 1e-36f);
    }

    void gemmErrors()
    {
        std::mt19937 rng(22);
        const Tensor a = randomTensor(rng, {3, 4}), b = randomTensor(rng, {5, 6});
        auto y = runNode(makeNode("Gemm", {}, 2), {&a, &b});
        QVERIFY(!y.has_value());
        QCOMPARE(errorText(y), QStringLiteral("Gemm inner dimensions do not match: A has shape "
                                              "[3, 4] and B has shape [5, 6]."));
        const Tensor b2 = randomTensor(rng, {4, 6}), c = randomTensor(rng, {2, 6});
        y = runNode(makeNode("Gemm", {}, 3), {&a, &b2, &c});
        QVERIFY(!y.has_value());
        QCOMPARE(errorText(y), QStringLiteral("Gemm input C has shape [2, 6] which does not "
                                              "broadcast to [3, 6]."));
    }

    void einsumMatchesReference_data()
    {
        QTest::addColumn<QString>("equation");
        QTest::addColumn<QList<Dims>>("shapes");
        QTest::newRow("matmul") << "ij,jk->ik" << QList<Dims>{{3, 4}, {4, 5}};
        QTest::newRow("batched") << "bij,bjk->bik" << QList<Dims>{{2, 3, 4}, {2, 4, 5}};
        QTest::newRow("attention") << "bhid,bhjd->bhij" << QList<Dims>{{2, 3, 4, 5}, {2, 3, 6, 5}};
        QTest::newRow("attention-out")
            << "bhij,bhjd->bihd" << QList<Dims>{{2, 3, 4, 6}, {2, 3, 6, 5}};
        QTest::newRow("transpose") << "ij->ji" << QList<Dims>{{3, 4}};
        QTest::newRow("permute3") << "abc->cab" << QList<Dims>{{2, 3, 4}};
        QTest::newRow("sum-all") << "ij->" << QList<Dims>{{3, 4}};
        QTest::newRow("sum-axis") << "ij->i" << QList<Dims>{{3, 4}};
        QTest::newRow("outer") << "i,j->ij" << QList<Dims>{{3}, {4}};
        QTest::newRow("inner") << "i,i->" << QList<Dims>{{5}, {5}};
        QTest::newRow("trace") << "ii->" << QList<Dims>{{4, 4}};
        QTest::newRow("diagonal") << "ii->i" << QList<Dims>{{4, 4}};
        QTest::newRow("batch-diag") << "...ii->...i" << QList<Dims>{{2, 3, 3}};
        QTest::newRow("ellipsis-matmul") << "...ij,...jk->...ik" << QList<Dims>{{2, 3, 4}, {4, 5}};
        QTest::newRow("summed-one-side") << "ijk,jl->il" << QList<Dims>{{2, 3, 4}, {3, 5}};
        QTest::newRow("three-operands") << "ij,jk,kl->il" << QList<Dims>{{2, 3}, {3, 4}, {4, 2}};
        QTest::newRow("implicit") << "ij,jk" << QList<Dims>{{3, 4}, {4, 5}};
        QTest::newRow("bilinear") << "bn,anm,bm->ba" << QList<Dims>{{2, 3}, {4, 3, 5}, {2, 5}};
    }

    void einsumMatchesReference()
    {
        QFETCH(QString, equation);
        QFETCH(QList<Dims>, shapes);
        qInfo().noquote() << equation;
        std::mt19937 rng(31);
        std::vector<Tensor> ins;
        for (const Dims &d : shapes)
            ins.push_back(randomTensor(rng, d));
        std::vector<const Tensor *> ptrs;
        for (const Tensor &t : ins)
            ptrs.push_back(&t);
        auto y = runNode(makeNode("Einsum", {stringAttr("equation", equation.toStdString())},
                                  ins.size()),
                         ptrs);
        QVERIFY2(y.has_value(), qPrintable(errorText(y)));
        // Reference equation: ellipses and implicit outputs written out by hand.
        std::string eq = equation.toStdString();
        if (equation == "...ii->...i")
            eq = "zii->zi";
        else if (equation == "...ij,...jk->...ik")
            eq = "zij,jk->zik";
        else if (equation == "ij,jk")
            eq = "ij,jk->ik";
        const Tensor want = referenceEinsum(eq, ptrs);
        QVERIFY2(maxRelDiff((*y)[0], want) < 1e-5,
                 qPrintable(dimsText((*y)[0].dims()) + " vs " + dimsText(want.dims())));
    }

    void einsumErrors()
    {
        std::mt19937 rng(32);
        const Tensor a = randomTensor(rng, {3, 4}), b = randomTensor(rng, {5, 6});
        auto y = runNode(makeNode("Einsum", {stringAttr("equation", "ij,jk->ik")}, 2), {&a, &b});
        QVERIFY(!y.has_value());
        QCOMPARE(errorText(y), QStringLiteral("Einsum label 'j' has size 4 in one place and 5 in "
                                              "another."));
        y = runNode(makeNode("Einsum", {stringAttr("equation", "ijk,jk->ik")}, 2), {&a, &b});
        QVERIFY(!y.has_value());
        QCOMPARE(errorText(y), QStringLiteral("Einsum operand 0 has shape [3, 4] which does not "
                                              "match its term's 3 labels."));
        y = runNode(makeNode("Einsum", {stringAttr("equation", "ij->iz")}, 1), {&a});
        QVERIFY(!y.has_value());
        QCOMPARE(errorText(y), QStringLiteral("Einsum output label 'z' does not appear in any "
                                              "input."));
    }
};

QTEST_APPLESS_MAIN(TestNnGemm)
#include "test_nn_gemm.moc"
