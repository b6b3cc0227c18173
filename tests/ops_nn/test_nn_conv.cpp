// Conv and ConvTranspose: the fast kernels (im2col / col2im + Eigen GEMM) against plain
// reference loops on random shapes with a fixed seed, covering groups, dilations, strides,
// pads, auto_pad and 1-D to 3-D; plus the error messages for bad shapes.
#include "tests/ops_nn/nn_test_util.h"

#include <QtTest/QtTest>

using namespace nnc;
using namespace nnc::test;

namespace {

const char *kAutoPads[] = {"NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"};

struct ConvCase
{
    int rank = 2;
    int64_t n = 1, groups = 1, cg = 1, mg = 1;
    std::vector<int64_t> in, kernel, stride, dilation, pads;   // pads: begins then ends
    int autoPad = 0;
    bool bias = false;
    bool kernelShapeAttr = false;

    QString text() const
    {
        auto v = [](const std::vector<int64_t> &x) {
            return QString::fromStdString(dimsToString(x));
        };
        return QStringLiteral("rank=%1 N=%2 G=%3 Cg=%4 Mg=%5 in=%6 k=%7 s=%8 d=%9 pads=%10 "
                              "auto_pad=%11 bias=%12")
            .arg(rank).arg(n).arg(groups).arg(cg).arg(mg).arg(v(in), v(kernel), v(stride),
                                                              v(dilation), v(pads))
            .arg(kAutoPads[autoPad]).arg(bias);
    }
};

/// Spec geometry, written independently of the kernel's: output sizes and begin pads.
void referenceForwardGeometry(const ConvCase &c, std::vector<int64_t> &out,
                              std::vector<int64_t> &padBegin)
{
    const auto r = static_cast<std::size_t>(c.rank);
    out.assign(r, 0);
    padBegin.assign(r, 0);
    for (std::size_t i = 0; i < r; ++i) {
        const int64_t effK = (c.kernel[i] - 1) * c.dilation[i] + 1;
        const std::string ap = kAutoPads[c.autoPad];
        if (ap == "NOTSET") {
            out[i] = (c.in[i] + c.pads[i] + c.pads[i + r] - effK) / c.stride[i] + 1;
            padBegin[i] = c.pads[i];
        } else if (ap == "VALID") {
            out[i] = static_cast<int64_t>(
                std::ceil(double(c.in[i] - effK + 1) / double(c.stride[i])));
        } else {
            out[i] = static_cast<int64_t>(std::ceil(double(c.in[i]) / double(c.stride[i])));
            const int64_t total = std::max<int64_t>(0, (out[i] - 1) * c.stride[i] + effK - c.in[i]);
            padBegin[i] = ap == "SAME_UPPER" ? total / 2 : (total + 1) / 2;
        }
    }
}

/// Increments a multi-index over `dims`; false after the last one.
bool nextIndex(std::vector<int64_t> &idx, const std::vector<int64_t> &dims)
{
    for (std::size_t d = idx.size(); d-- > 0;) {
        if (++idx[d] < dims[d])
            return true;
        idx[d] = 0;
    }
    return false;
}

int64_t flatIndex(const std::vector<int64_t> &idx, const std::vector<int64_t> &dims)
{
    int64_t f = 0;
    for (std::size_t d = 0; d < idx.size(); ++d)
        f = f * dims[d] + idx[d];
    return f;
}

Tensor referenceConv(const ConvCase &c, const Tensor &x, const Tensor &w, const Tensor *b)
{
    std::vector<int64_t> out, pb;
    referenceForwardGeometry(c, out, pb);
    const int64_t C = c.groups * c.cg, M = c.groups * c.mg;
    Dims yd = {c.n, M};
    yd.insert(yd.end(), out.begin(), out.end());
    Tensor y(DataType::Float, yd);
    const auto r = static_cast<std::size_t>(c.rank);
    const float *px = x.data<float>(), *pw = w.data<float>();
    float *py = y.mutableData<float>();
    const int64_t inSize = numElements(c.in), outSize = numElements(out);
    const int64_t kSize = numElements(c.kernel);
    for (int64_t n = 0; n < c.n; ++n)
        for (int64_t m = 0; m < M; ++m) {
            const int64_t g = m / c.mg;
            std::vector<int64_t> o(r, 0);
            do {
                double acc = b ? b->data<float>()[m] : 0.0;
                for (int64_t ci = 0; ci < c.cg; ++ci) {
                    std::vector<int64_t> k(r, 0);
                    do {
                        std::vector<int64_t> ip(r);
                        bool inside = true;
                        for (std::size_t d = 0; d < r; ++d) {
                            ip[d] = o[d] * c.stride[d] - pb[d] + k[d] * c.dilation[d];
                            inside = inside && ip[d] >= 0 && ip[d] < c.in[d];
                        }
                        if (!inside)
                            continue;
                        const float xv = px[(n * C + g * c.cg + ci) * inSize + flatIndex(ip, c.in)];
                        const float wv = pw[(m * c.cg + ci) * kSize + flatIndex(k, c.kernel)];
                        acc += double(xv) * wv;
                    } while (nextIndex(k, c.kernel));
                }
                py[(n * M + m) * outSize + flatIndex(o, out)] = static_cast<float>(acc);
            } while (nextIndex(o, out));
        }
    return y;
}

ConvCase randomConvCase(std::mt19937 &rng, int rank)
{
    auto uni = [&](int64_t lo, int64_t hi) {
        return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
    };
    ConvCase c;
    c.rank = rank;
    c.n = uni(1, 3);
    const int64_t kind = uni(0, 3);
    c.groups = kind == 0 ? uni(2, 4) : 1;
    c.cg = kind == 1 ? 1 : uni(1, 5);
    c.mg = uni(1, 4);
    if (kind == 1) {   // depthwise
        c.groups = uni(2, 6);
        c.mg = uni(1, 2);
    }
    c.autoPad = static_cast<int>(uni(0, 3));
    c.bias = uni(0, 1) == 1;
    c.kernelShapeAttr = uni(0, 1) == 1;
    const int64_t maxK = rank == 3 ? 3 : 4, maxIn = rank == 3 ? 7 : rank == 2 ? 11 : 20;
    for (int i = 0; i < rank; ++i) {
        c.kernel.push_back(uni(1, maxK));
        c.stride.push_back(uni(1, 3));
        c.dilation.push_back(uni(1, 2));
    }
    for (int i = 0; i < 2 * rank; ++i)
        c.pads.push_back(c.autoPad == 0 ? uni(0, 2) : 0);
    for (int i = 0; i < rank; ++i) {
        const int64_t effK = (c.kernel[static_cast<std::size_t>(i)] - 1)
                                 * c.dilation[static_cast<std::size_t>(i)] + 1;
        c.in.push_back(uni(std::max<int64_t>(1, effK), std::max(effK, maxIn)));
    }
    return c;
}


struct ConvTransposeCase
{
    ConvCase base;                       // in = ConvTranspose input, kernel, stride, ...
    std::vector<int64_t> outputPadding;
    std::vector<int64_t> outputShape;    // empty unless given as an attribute

    QString text() const
    {
        return base.text() + QStringLiteral(" output_padding=%1 output_shape=%2")
                                 .arg(QString::fromStdString(dimsToString(outputPadding)),
                                      QString::fromStdString(dimsToString(outputShape)));
    }
};

void referenceTransposeGeometry(const ConvTransposeCase &t, std::vector<int64_t> &out,
                                std::vector<int64_t> &padBegin)
{
    const ConvCase &c = t.base;
    const auto r = static_cast<std::size_t>(c.rank);
    out.assign(r, 0);
    padBegin.assign(r, 0);
    const std::string ap = kAutoPads[c.autoPad];
    for (std::size_t i = 0; i < r; ++i) {
        const int64_t full = c.stride[i] * (c.in[i] - 1) + t.outputPadding[i]
                             + (c.kernel[i] - 1) * c.dilation[i] + 1;
        if (!t.outputShape.empty() || ap == "SAME_UPPER" || ap == "SAME_LOWER") {
            out[i] = t.outputShape.empty() ? c.in[i] * c.stride[i] : t.outputShape[i];
            const int64_t total = std::max<int64_t>(0, full - out[i]);
            padBegin[i] = ap == "SAME_UPPER" ? total / 2 : total - total / 2;
        } else if (ap == "VALID") {
            out[i] = full;
        } else {
            padBegin[i] = c.pads[i];
            out[i] = full - c.pads[i] - c.pads[i + r];
        }
    }
}

Tensor referenceConvTranspose(const ConvTransposeCase &t, const Tensor &x, const Tensor &w,
                              const Tensor *b)
{
    const ConvCase &c = t.base;
    std::vector<int64_t> out, pb;
    referenceTransposeGeometry(t, out, pb);
    const int64_t C = c.groups * c.cg, M = c.groups * c.mg;
    Dims yd = {c.n, M};
    yd.insert(yd.end(), out.begin(), out.end());
    Tensor y(DataType::Float, yd);
    const auto r = static_cast<std::size_t>(c.rank);
    const int64_t inSize = numElements(c.in), outSize = numElements(out);
    const int64_t kSize = numElements(c.kernel);
    std::vector<double> acc(static_cast<std::size_t>(y.numel()), 0.0);
    for (int64_t n = 0; n < c.n; ++n)
        for (int64_t ch = 0; ch < C; ++ch) {
            const int64_t g = ch / c.cg;
            std::vector<int64_t> i(r, 0);
            do {
                const float xv = x.data<float>()[(n * C + ch) * inSize + flatIndex(i, c.in)];
                for (int64_t m = 0; m < c.mg; ++m) {
                    std::vector<int64_t> k(r, 0);
                    do {
                        std::vector<int64_t> o(r);
                        bool inside = true;
                        for (std::size_t d = 0; d < r; ++d) {
                            o[d] = i[d] * c.stride[d] - pb[d] + k[d] * c.dilation[d];
                            inside = inside && o[d] >= 0 && o[d] < out[d];
                        }
                        if (!inside)
                            continue;
                        const float wv =
                            w.data<float>()[(ch * c.mg + m) * kSize + flatIndex(k, c.kernel)];
                        acc[static_cast<std::size_t>((n * M + g * c.mg + m) * outSize
                                                     + flatIndex(o, out))] += double(xv) * wv;
                    } while (nextIndex(k, c.kernel));
                }
            } while (nextIndex(i, c.in));
        }
    float *py = y.mutableData<float>();
    for (int64_t n = 0; n < c.n; ++n)
        for (int64_t m = 0; m < M; ++m)
            for (int64_t p = 0; p < outSize; ++p) {
                const auto idx = static_cast<std::size_t>((n * M + m) * outSize + p);
                py[idx] = static_cast<float>(acc[idx] + (b ? b->data<float>()[m] : 0.0f));
            }
    return y;
}

ConvTransposeCase randomTransposeCase(std::mt19937 &rng, int rank)
{
    auto uni = [&](int64_t lo, int64_t hi) {
        return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
    };
    ConvTransposeCase t;
    t.base = randomConvCase(rng, rank);
    ConvCase &c = t.base;
    for (auto &v : c.in)
        v = uni(1, rank == 3 ? 4 : 6);
    const bool withShape = c.autoPad == 0 && uni(0, 2) == 0;
    for (std::size_t i = 0; i < static_cast<std::size_t>(rank); ++i)
        t.outputPadding.push_back(uni(0, std::max(c.stride[i], c.dilation[i]) - 1));
    std::vector<int64_t> out, pb;
    for (int attempt = 0; attempt < 20; ++attempt) {
        referenceTransposeGeometry(t, out, pb);
        if (std::all_of(out.begin(), out.end(), [](int64_t o) { return o > 0; }))
            break;
        for (auto &p : c.pads)
            p = 0;
    }
    if (withShape) {
        for (std::size_t i = 0; i < out.size(); ++i)
            t.outputShape.push_back(std::max<int64_t>(1, out[i] + uni(-2, 2)));
    }
    return t;
}

Node convNode(const ConvCase &c, const std::string &op = "Conv")
{
    std::vector<Attribute> attrs = {intsAttr("strides", c.stride),
                                    intsAttr("dilations", c.dilation),
                                    intAttr("group", c.groups)};
    if (c.autoPad == 0)
        attrs.push_back(intsAttr("pads", c.pads));
    else
        attrs.push_back(stringAttr("auto_pad", kAutoPads[c.autoPad]));
    if (c.kernelShapeAttr)
        attrs.push_back(intsAttr("kernel_shape", c.kernel));
    return makeNode(op, attrs, 3);
}

} // namespace

class TestNnConv : public QObject
{
    Q_OBJECT

private:
    void checkConvCase(const ConvCase &c, std::mt19937 &rng)
    {
        Dims xd = {c.n, c.groups * c.cg};
        xd.insert(xd.end(), c.in.begin(), c.in.end());
        Dims wd = {c.groups * c.mg, c.cg};
        wd.insert(wd.end(), c.kernel.begin(), c.kernel.end());
        const Tensor x = randomTensor(rng, xd);
        const Tensor w = randomTensor(rng, wd);
        const Tensor b = randomTensor(rng, {c.groups * c.mg});
        const Tensor *bp = c.bias ? &b : nullptr;
        auto got = runNode(convNode(c), {&x, &w, bp});
        QVERIFY2(got.has_value(), qPrintable(c.text() + " error: "
                                             + errorText(got)));
        const Tensor want = referenceConv(c, x, w, bp);
        const double diff = maxRelDiff((*got)[0], want);
        QVERIFY2(
            diff < 1e-4,
            qPrintable(c.text() + QStringLiteral(" got shape %1 want %2 diff %3")
                                      .arg(QString::fromStdString(dimsToString((*got)[0].dims())),
                                           QString::fromStdString(dimsToString(want.dims())))
                                      .arg(diff)));
    }

private slots:
    void convMatchesReferenceOnRandomShapes_data()
    {
        QTest::addColumn<int>("rank");
        QTest::newRow("1d") << 1;
        QTest::newRow("2d") << 2;
        QTest::newRow("3d") << 3;
    }

    void convMatchesReferenceOnRandomShapes()
    {
        QFETCH(int, rank);
        std::mt19937 rng(1234 + rank);
        for (int i = 0; i < 150; ++i) {
            const ConvCase c = randomConvCase(rng, rank);
            qInfo().noquote() << "case" << i << c.text();
            checkConvCase(c, rng);
            if (QTest::currentTestFailed())
                return;
        }
    }

    void convLargerShapesUseParallelPaths()
    {
        // Batches and channel counts like a small CNN: exercises the per-thread scratch
        // buffers (parallel over the batch) and the 1x1 GEMM-only path.
        std::mt19937 rng(77);
        std::vector<ConvCase> cases;
        ConvCase c;
        c.rank = 2, c.n = 8, c.groups = 1, c.cg = 16, c.mg = 32;
        c.in = {14, 14}, c.kernel = {3, 3}, c.stride = {1, 1}, c.dilation = {1, 1};
        c.pads = {1, 1, 1, 1}, c.bias = true;
        cases.push_back(c);
        c.kernel = {1, 1}, c.pads = {0, 0, 0, 0};
        cases.push_back(c);
        c.n = 1, c.cg = 24, c.mg = 40, c.in = {30, 30}, c.kernel = {3, 3}, c.pads = {1, 1, 1, 1};
        cases.push_back(c);
        c.n = 4, c.groups = 16, c.cg = 1, c.mg = 1, c.in = {15, 15}, c.stride = {2, 2};
        cases.push_back(c);
        for (const ConvCase &cc : cases) {
            qInfo().noquote() << cc.text();
            checkConvCase(cc, rng);
        }
    }

    void depthwiseSquareKernelsMatchReference()
    {
        // The padded-copy depthwise path (2-D, 3x3 and 5x5) with every stride, dilation,
        // padding and auto_pad mix, including a channel multiplier of 1 and odd sizes.
        std::mt19937 rng(99);
        auto uni = [&](int64_t lo, int64_t hi) {
            return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
        };
        for (int i = 0; i < 120; ++i) {
            ConvCase c;
            c.rank = 2;
            c.n = uni(1, 2);
            c.groups = uni(1, 6);
            c.cg = 1;
            c.mg = 1;
            const int64_t k = uni(0, 1) ? 3 : 5;
            c.kernel = {k, k};
            c.stride = {uni(1, 3), uni(1, 3)};
            c.dilation = {uni(1, 2), uni(1, 2)};
            c.autoPad = static_cast<int>(uni(0, 3));
            c.bias = uni(0, 1);
            c.pads.clear();
            for (int j = 0; j < 4; ++j)
                c.pads.push_back(c.autoPad == 0 ? uni(0, 3) : 0);
            c.in.clear();
            for (int d = 0; d < 2; ++d) {
                const int64_t effK = (k - 1) * c.dilation[static_cast<std::size_t>(d)] + 1;
                c.in.push_back(uni(effK, effK + 12));
            }
            qInfo().noquote() << "case" << i << c.text();
            checkConvCase(c, rng);
            if (QTest::currentTestFailed())
                return;
        }
    }

    void convKernelReusedAcrossShapes()
    {
        // One kernel instance run on changing input sizes and weights: the im2col buffers keep
        // padding zeros per geometry, which must never leak into another geometry's run.
        std::mt19937 rng(13);
        ConvCase c;
        c.rank = 2, c.groups = 1, c.cg = 3, c.mg = 4, c.kernel = {3, 3}, c.stride = {1, 1};
        c.dilation = {1, 1}, c.pads = {1, 2, 2, 1}, c.bias = true;
        const Node node = convNode(c);
        const OpEntry *e = findKernel("", "Conv", 13);
        auto kernel = e->create(KernelBuildInfo{node, 13});
        QVERIFY(kernel.has_value());
        const std::vector<std::pair<Dims, int64_t>> runs = {
            {{9, 9}, 3}, {{12, 7}, 3}, {{9, 9}, 1}, {{9, 9}, 3}, {{5, 11}, 2}, {{9, 9}, 3}};
        for (const auto &[in, cg] : runs) {
            c.in = in;
            c.cg = cg;
            c.n = 3;
            qInfo().noquote() << c.text();
            const Tensor x = randomTensor(rng, {c.n, c.cg, in[0], in[1]});
            const Tensor w = randomTensor(rng, {c.mg, c.cg, 3, 3});
            const Tensor b = randomTensor(rng, {c.mg});
            std::vector<const Tensor *> ins = {&x, &w, &b};
            KernelContext ctx;
            ctx.inputs = ins;
            ctx.outputs.resize(1);
            QVERIFY((*kernel)->run(ctx).has_value());
            QVERIFY(maxRelDiff(ctx.outputs[0], referenceConv(c, x, w, &b)) < 1e-4);
        }
    }

    void convLargeImageRunsInBands()
    {
        // An im2col matrix over the band limit (4M elements) is built in bands of output rows.
        std::mt19937 rng(14);
        ConvCase c;
        c.rank = 2, c.n = 2, c.groups = 1, c.cg = 17, c.mg = 3, c.in = {130, 301};
        c.kernel = {3, 3}, c.stride = {1, 1}, c.dilation = {1, 2}, c.pads = {1, 2, 1, 2};
        c.bias = true;
        qInfo().noquote() << c.text();
        checkConvCase(c, rng);
    }

    void convDoubleMatchesFloatReference()
    {
        std::mt19937 rng(5);
        ConvCase c = randomConvCase(rng, 2);
        c.pads = {1, 0, 2, 1};
        c.autoPad = 0;
        qInfo().noquote() << c.text();
        Dims xd = {c.n, c.groups * c.cg};
        xd.insert(xd.end(), c.in.begin(), c.in.end());
        Dims wd = {c.groups * c.mg, c.cg};
        wd.insert(wd.end(), c.kernel.begin(), c.kernel.end());
        const Tensor x = randomTensor(rng, xd), w = randomTensor(rng, wd);
        const Tensor xd64 = x.castTo(DataType::Double), wd64 = w.castTo(DataType::Double);
        auto out = runNode(convNode(c), {&xd64, &wd64});
        QVERIFY(out.has_value());
        QCOMPARE((*out)[0].dtype(), DataType::Double);
        QVERIFY(maxRelDiff((*out)[0], referenceConv(c, x, w, nullptr)) < 1e-5);
    }

    void convKnownValues()
    {
        // ONNX's basic example: 5x5 ramp, 3x3 ones kernel, pads 1.
        std::vector<float> xv(25);
        for (int i = 0; i < 25; ++i)
            xv[static_cast<std::size_t>(i)] = float(i);
        const Tensor x = Tensor::fromVector<float>({1, 1, 5, 5}, xv);
        const Tensor w = Tensor::fromVector<float>({1, 1, 3, 3}, std::vector<float>(9, 1.0f));
        auto y = runNode(makeNode("Conv", {intsAttr("pads", {1, 1, 1, 1})}, 2), {&x, &w});
        QVERIFY(y.has_value());
        const std::vector<float> want = {12, 21, 27, 33, 24, 33, 54, 63, 72, 51, 63, 99, 108,
                                         117, 81, 93, 144, 153, 162, 111, 72, 111, 117, 123, 84};
        QCOMPARE((*y)[0].dims(), (Dims{1, 1, 5, 5}));
        const auto got = (*y)[0].toFloatVector();
        for (std::size_t i = 0; i < want.size(); ++i)
            QCOMPARE(got[i], want[i]);
    }

    void convTransposeMatchesReferenceOnRandomShapes_data()
    {
        QTest::addColumn<int>("rank");
        QTest::newRow("1d") << 1;
        QTest::newRow("2d") << 2;
        QTest::newRow("3d") << 3;
    }

    void convTransposeMatchesReferenceOnRandomShapes()
    {
        QFETCH(int, rank);
        std::mt19937 rng(4321 + rank);
        for (int i = 0; i < 120; ++i) {
            const ConvTransposeCase t = randomTransposeCase(rng, rank);
            const ConvCase &c = t.base;
            qInfo().noquote() << "case" << i << t.text();
            Dims xd = {c.n, c.groups * c.cg};
            xd.insert(xd.end(), c.in.begin(), c.in.end());
            Dims wd = {c.groups * c.cg, c.mg};
            wd.insert(wd.end(), c.kernel.begin(), c.kernel.end());
            const Tensor x = randomTensor(rng, xd), w = randomTensor(rng, wd);
            const Tensor b = randomTensor(rng, {c.groups * c.mg});
            const Tensor *bp = c.bias ? &b : nullptr;
            Node node = convNode(c, "ConvTranspose");
            if (std::any_of(t.outputPadding.begin(), t.outputPadding.end(),
                            [](int64_t v) { return v != 0; }))
                node.attributes.push_back(intsAttr("output_padding", t.outputPadding));
            if (!t.outputShape.empty())
                node.attributes.push_back(intsAttr("output_shape", t.outputShape));
            auto got = runNode(node, {&x, &w, bp});
            QVERIFY2(got.has_value(), qPrintable(t.text() + " error: "
                                                 + errorText(got)));
            const Tensor want = referenceConvTranspose(t, x, w, bp);
            const double diff = maxRelDiff((*got)[0], want);
            QVERIFY2(diff < 1e-4,
                     qPrintable(t.text() +
                                QStringLiteral(" got %1 want %2 diff %3")
                                    .arg(QString::fromStdString(dimsToString((*got)[0].dims())),
                                         QString::fromStdString(dimsToString(want.dims())))
                                    .arg(diff)));
        }
    }

    void convTransposeRejectsMismatchedChannels()
    {
        std::mt19937 rng(3);
        const Tensor x = randomTensor(rng, {1, 3, 4, 4});
        const Tensor w = randomTensor(rng, {2, 5, 3, 3});
        auto y = runNode(makeNode("ConvTranspose", {}, 2), {&x, &w});
        QVERIFY(!y.has_value());
        QCOMPARE(QString::fromStdString(y.error().message),
                 QStringLiteral("ConvTranspose input X has 3 channels but W of shape "
                                "[2, 5, 3, 3] expects 2."));
    }

    void fusedConvAppliesActivation_data()
    {
        QTest::addColumn<QString>("activation");
        QTest::addColumn<QList<float>>("params");
        QTest::newRow("Relu") << "Relu" << QList<float>{};
        QTest::newRow("LeakyRelu") << "LeakyRelu" << QList<float>{0.1f};
        QTest::newRow("Clip") << "Clip" << QList<float>{-0.5f, 0.25f};
        QTest::newRow("HardSigmoid") << "HardSigmoid" << QList<float>{0.3f, 0.4f};
        QTest::newRow("Sigmoid") << "Sigmoid" << QList<float>{};
        QTest::newRow("Tanh") << "Tanh" << QList<float>{};
    }

    void fusedConvAppliesActivation()
    {
        // com.microsoft FusedConv on the three Conv paths (small-K, GEMM, depthwise).
        QFETCH(QString, activation);
        QFETCH(QList<float>, params);
        std::mt19937 rng(8);
        const std::vector<std::pair<Dims, Dims>> shapes = {{{2, 1, 9, 9}, {4, 1, 3, 3}},
                                                           {{2, 8, 9, 9}, {5, 8, 3, 3}},
                                                           {{2, 6, 9, 9}, {6, 1, 3, 3}}};
        for (const auto &[xd, wd] : shapes) {
            const int64_t group = wd[1] == 1 && xd[1] > 1 ? xd[1] : 1;
            const Tensor x = randomTensor(rng, xd, -2, 2), w = randomTensor(rng, wd);
            const Tensor b = randomTensor(rng, {wd[0]});
            std::vector<Attribute> attrs = {intsAttr("pads", {1, 1, 1, 1}),
                                            intAttr("group", group)};
            auto plain = runNode(makeNode("Conv", attrs, 3), {&x, &w, &b});
            QVERIFY(plain.has_value());
            Attribute act = stringAttr("activation", activation.toStdString());
            Attribute ap;
            ap.name = "activation_params";
            ap.kind = Attribute::Kind::Floats;
            ap.floats = std::vector<float>(params.begin(), params.end());
            attrs.push_back(act);
            attrs.push_back(ap);
            Node fused = makeNode("FusedConv", attrs, 3);
            fused.domain = "com.microsoft";
            auto got = runNode(fused, {&x, &w, &b}, 1);
            QVERIFY2(got.has_value(), qPrintable(errorText(got)));
            std::vector<float> want = (*plain)[0].toFloatVector();
            for (float &v : want) {
                if (activation == "Relu")
                    v = std::max(v, 0.0f);
                else if (activation == "LeakyRelu")
                    v = v >= 0 ? v : v * params[0];
                else if (activation == "Clip")
                    v = std::clamp(v, params[0], params[1]);
                else if (activation == "HardSigmoid")
                    v = std::clamp(params[0] * v + params[1], 0.0f, 1.0f);
                else if (activation == "Sigmoid")
                    v = 1.0f / (1.0f + std::exp(-v));
                else
                    v = std::tanh(v);
            }
            const auto g = (*got)[0].toFloatVector();
            QCOMPARE(g.size(), want.size());
            for (std::size_t i = 0; i < g.size(); ++i)
                QVERIFY2(std::abs(g[i] - want[i]) < 1e-5f,
                         qPrintable(QStringLiteral("%1 at %2: %3 vs %4").arg(activation).arg(i)
                                        .arg(g[i]).arg(want[i])));
        }
    }

    void halfPrecisionInputsComputeInFloat()
    {
        // float16 / bfloat16 tensors are computed in float32 and the output converted back.
        std::mt19937 rng(15);
        for (DataType half : {DataType::Float16, DataType::BFloat16}) {
            const Tensor x = randomTensor(rng, {2, 3, 7, 7}).castTo(half);
            const Tensor w = randomTensor(rng, {4, 3, 3, 3}).castTo(half);
            const Tensor b = randomTensor(rng, {4}).castTo(half);
            const Node node = makeNode("Conv", {intsAttr("pads", {1, 1, 1, 1})}, 3);
            auto got = runNode(node, {&x, &w, &b});
            QVERIFY2(got.has_value(), qPrintable(errorText(got)));
            QCOMPARE((*got)[0].dtype(), half);
            const Tensor xf = x.castTo(DataType::Float), wf = w.castTo(DataType::Float);
            const Tensor bf = b.castTo(DataType::Float);
            auto want = runNode(node, {&xf, &wf, &bf});
            QVERIFY(want.has_value());
            const Tensor wantHalf = (*want)[0].castTo(half);
            QCOMPARE((*got)[0].toFloatVector(), wantHalf.toFloatVector());
            // MaxPool's int64 Indices output stays int64.
            auto pooled =
                runNode(makeNode("MaxPool", {intsAttr("kernel_shape", {2, 2})}, 1, 2), {&x});
            QVERIFY2(pooled.has_value(), qPrintable(errorText(pooled)));
            QCOMPARE((*pooled)[0].dtype(), half);
            QCOMPARE((*pooled)[1].dtype(), DataType::Int64);
        }
    }

    void convRejectsMismatchedChannels()
    {
        std::mt19937 rng(1);
        const Tensor x = randomTensor(rng, {1, 3, 8, 8});
        const Tensor w = randomTensor(rng, {4, 2, 3, 3});
        auto y = runNode(makeNode("Conv", {}, 2), {&x, &w});
        QVERIFY(!y.has_value());
        QCOMPARE(QString::fromStdString(y.error().message),
                 QStringLiteral("Conv input X has 3 channels but W of shape [4, 2, 3, 3] expects "
                                "2 (2 per group x 1 groups)."));
    }

    void convRejectsBadGroupsAndShapes()
    {
        std::mt19937 rng(2);
        const Tensor x = randomTensor(rng, {1, 4, 8, 8});
        const Tensor w = randomTensor(rng, {6, 2, 3, 3});
        auto y = runNode(makeNode("Conv", {intAttr("group", 3)}, 2), {&x, &w});
        QVERIFY(!y.has_value());
        QCOMPARE(QString::fromStdString(y.error().message),
                 QStringLiteral("Conv group 3 does not divide the 4 input channels and 6 output "
                                "channels."));
        const Tensor w2 = randomTensor(rng, {6, 4, 3});
        y = runNode(makeNode("Conv", {}, 2), {&x, &w2});
        QVERIFY(!y.has_value());
        QVERIFY(QString::fromStdString(y.error().message).contains("ranks must match"));
        const Tensor big = randomTensor(rng, {2, 4, 9, 9});
        y = runNode(makeNode("Conv", {}, 2), {&x, &big});
        QVERIFY(!y.has_value());
        QCOMPARE(QString::fromStdString(y.error().message),
                 QStringLiteral("the padded input size 8 is smaller than the dilated kernel size "
                                "9 in spatial dimension 0."));
        const Tensor bias = randomTensor(rng, {5});
        const Tensor w3 = randomTensor(rng, {6, 4, 3, 3});
        y = runNode(makeNode("Conv", {}, 3), {&x, &w3, &bias});
        QVERIFY(!y.has_value());
        QCOMPARE(QString::fromStdString(y.error().message),
                 QStringLiteral("Conv bias B has shape [5] but 6 output channels need shape [6]."));
        const Tensor xi(DataType::Int32, {1, 4, 8, 8});
        y = runNode(makeNode("Conv", {}, 2), {&xi, &w3});
        QVERIFY(!y.has_value());
        QCOMPARE(QString::fromStdString(y.error().message),
                 QStringLiteral("Conv supports float and double inputs, not int32."));
    }
};

QTEST_APPLESS_MAIN(TestNnConv)
#include "test_nn_conv.moc"
