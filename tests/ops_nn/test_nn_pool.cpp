// MaxPool (with Indices), AveragePool, LpPool and the global pools against plain N-D reference
// loops on random shapes (fixed seed): pads, strides, dilations, ceil_mode, auto_pad,
// count_include_pad, storage_order, 1-D to 3-D; plus error messages.
#include "tests/ops_nn/nn_test_util.h"

#include <QtTest/QtTest>

using namespace nnc;
using namespace nnc::test;

namespace {

const char *kAutoPads[] = {"NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"};

struct PoolCase
{
    std::string op = "MaxPool";
    int64_t n = 1, c = 1;
    std::vector<int64_t> in, kernel, stride, dilation, pads;
    int autoPad = 0;
    bool ceil = false, countIncludePad = false, indices = false, columnMajor = false;
    int p = 2;

    QString text() const
    {
        auto v = [](const std::vector<int64_t> &x) {
            return QString::fromStdString(dimsToString(x));
        };
        return QStringLiteral("%1 N=%2 C=%3 in=%4 k=%5 s=%6 d=%7 pads=%8 auto_pad=%9 ceil=%10 "
                              "count_include_pad=%11 indices=%12 storage_order=%13 p=%14")
            .arg(QString::fromStdString(op)).arg(n).arg(c).arg(v(in), v(kernel), v(stride),
                                                                 v(dilation), v(pads))
            .arg(kAutoPads[autoPad]).arg(ceil).arg(countIncludePad).arg(indices)
            .arg(columnMajor).arg(p);
    }
};

bool nextIndex(std::vector<int64_t> &idx, const std::vector<int64_t> &dims)
{
    for (std::size_t d = idx.size(); d-- > 0;) {
        if (++idx[d] < dims[d])
            return true;
        idx[d] = 0;
    }
    return false;
}

/// Reference pooling; returns Y and (for MaxPool) the indices.
std::pair<Tensor, Tensor> referencePool(const PoolCase &c, const Tensor &x)
{
    const std::size_t r = c.in.size();
    std::vector<int64_t> out(r), pb(r), pe(r);
    for (std::size_t i = 0; i < r; ++i) {
        const int64_t effK = (c.kernel[i] - 1) * c.dilation[i] + 1;
        const std::string ap = kAutoPads[c.autoPad];
        if (ap == "NOTSET") {
            pb[i] = c.pads[i];
            pe[i] = c.pads[i + r];
            const double q = double(c.in[i] + pb[i] + pe[i] - effK) / double(c.stride[i]);
            out[i] = static_cast<int64_t>(c.ceil ? std::ceil(q) : std::floor(q)) + 1;
            if (c.ceil && (out[i] - 1) * c.stride[i] >= c.in[i] + pb[i])
                --out[i];
        } else if (ap == "VALID") {
            out[i] = (c.in[i] - effK) / c.stride[i] + 1;
        } else {
            out[i] = (c.in[i] + c.stride[i] - 1) / c.stride[i];
            const int64_t total = std::max<int64_t>(0, (out[i] - 1) * c.stride[i] + effK - c.in[i]);
            pb[i] = ap == "SAME_UPPER" ? total / 2 : total - total / 2;
            pe[i] = total - pb[i];
        }
    }
    Dims yd = {c.n, c.c};
    yd.insert(yd.end(), out.begin(), out.end());
    Tensor y(DataType::Float, yd), idx(DataType::Int64, yd);
    const int64_t inSize = numElements(c.in);
    int64_t flat = 0;
    for (int64_t plane = 0; plane < c.n * c.c; ++plane) {
        std::vector<int64_t> o(r, 0);
        do {
            double acc = 0;
            float best = -INFINITY;
            int64_t bestIdx = -1, valid = 0, padded = 0;
            std::vector<int64_t> k(r, 0);
            do {
                bool inside = true, insidePad = true;
                int64_t rowMajor = 0, colMajor = 0, colStride = 1;
                for (std::size_t d = 0; d < r; ++d) {
                    const int64_t pos = o[d] * c.stride[d] - pb[d] + k[d] * c.dilation[d];
                    inside = inside && pos >= 0 && pos < c.in[d];
                    insidePad = insidePad && pos >= -pb[d] && pos < c.in[d] + pe[d];
                    rowMajor = rowMajor * c.in[d] + pos;
                    colMajor += pos * colStride;
                    colStride *= c.in[d];
                }
                padded += insidePad;
                if (!inside)
                    continue;
                ++valid;
                const float v = x.data<float>()[plane * inSize + rowMajor];
                if (v > best) {
                    best = v;
                    bestIdx = plane * inSize + (c.columnMajor ? colMajor : rowMajor);
                }
                acc += c.op == "AveragePool" ? v : std::pow(std::abs(double(v)), double(c.p));
            } while (nextIndex(k, c.kernel));
            float result;
            if (c.op == "MaxPool")
                result = best;
            else if (c.op == "AveragePool")
                result = static_cast<float>(acc / double(c.countIncludePad ? padded : valid));
            else
                result = static_cast<float>(std::pow(acc, 1.0 / c.p));
            y.mutableData<float>()[flat] = result;
            idx.mutableData<int64_t>()[flat] = bestIdx;
            ++flat;
        } while (nextIndex(o, out));
    }
    return {y, idx};
}

PoolCase randomPoolCase(std::mt19937 &rng, const std::string &op, int rank)
{
    auto uni = [&](int64_t lo, int64_t hi) {
        return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
    };
    PoolCase c;
    c.op = op;
    c.n = uni(1, 2);
    c.c = uni(1, 3);
    c.autoPad = static_cast<int>(uni(0, 3));
    c.ceil = c.autoPad == 0 && uni(0, 1);
    c.countIncludePad = op == "AveragePool" && uni(0, 1);
    c.indices = op == "MaxPool" && uni(0, 1);
    c.columnMajor = c.indices && uni(0, 1);
    c.p = static_cast<int>(uni(1, 3));
    const bool dilate = op != "LpPool";
    for (int i = 0; i < rank; ++i) {
        c.kernel.push_back(uni(1, 3));
        c.stride.push_back(uni(1, 3));
        c.dilation.push_back(dilate ? uni(1, 2) : 1);
    }
    for (int i = 0; i < rank; ++i) {
        const auto u = static_cast<std::size_t>(i);
        const int64_t effK = (c.kernel[u] - 1) * c.dilation[u] + 1;
        c.in.push_back(uni(effK, effK + (rank == 3 ? 4 : 9)));
    }
    // Pads smaller than the kernel, so every window touches the input.
    for (int i = 0; i < 2 * rank; ++i)
        c.pads.push_back(c.autoPad == 0 ? uni(0, c.kernel[static_cast<std::size_t>(i % rank)] - 1)
                                        : 0);
    return c;
}

Node poolNode(const PoolCase &c)
{
    std::vector<Attribute> attrs = {intsAttr("kernel_shape", c.kernel),
                                    intsAttr("strides", c.stride)};
    if (c.op != "LpPool")
        attrs.push_back(intsAttr("dilations", c.dilation));
    if (c.autoPad == 0)
        attrs.push_back(intsAttr("pads", c.pads));
    else
        attrs.push_back(stringAttr("auto_pad", kAutoPads[c.autoPad]));
    attrs.push_back(intAttr("ceil_mode", c.ceil));
    if (c.op == "AveragePool")
        attrs.push_back(intAttr("count_include_pad", c.countIncludePad));
    if (c.op == "MaxPool")
        attrs.push_back(intAttr("storage_order", c.columnMajor));
    if (c.op == "LpPool")
        attrs.push_back(intAttr("p", c.p));
    return makeNode(c.op, attrs, 1, c.indices ? 2 : 1);
}

} // namespace

class TestNnPool : public QObject
{
    Q_OBJECT

private slots:
    void poolMatchesReferenceOnRandomShapes_data()
    {
        QTest::addColumn<QString>("op");
        QTest::addColumn<int>("rank");
        for (const char *op : {"MaxPool", "AveragePool", "LpPool"})
            for (int rank = 1; rank <= 3; ++rank)
                QTest::addRow("%s-%dd", op, rank) << QString(op) << rank;
    }

    void poolMatchesReferenceOnRandomShapes()
    {
        QFETCH(QString, op);
        QFETCH(int, rank);
        std::mt19937 rng(static_cast<unsigned>(100 + rank + op.size()));
        for (int i = 0; i < 150; ++i) {
            const PoolCase c = randomPoolCase(rng, op.toStdString(), rank);
            qInfo().noquote() << "case" << i << c.text();
            Dims xd = {c.n, c.c};
            xd.insert(xd.end(), c.in.begin(), c.in.end());
            const Tensor x = randomTensor(rng, xd);
            auto got = runNode(poolNode(c), {&x}, 19);
            QVERIFY2(got.has_value(), qPrintable(c.text() + " error: " + errorText(got)));
            const auto [wantY, wantIdx] = referencePool(c, x);
            QVERIFY2(maxRelDiff((*got)[0], wantY) < 1e-5,
                     qPrintable(c.text() + " got "
                                + QString::fromStdString(dimsToString((*got)[0].dims()))
                                + " want " + QString::fromStdString(dimsToString(wantY.dims()))));
            if (c.indices) {
                QCOMPARE((*got)[1].dtype(), DataType::Int64);
                QVERIFY2((*got)[1].toInt64Vector() == wantIdx.toInt64Vector(),
                         qPrintable(c.text()));
            }
        }
    }

    void maxPool2x2Stride2MatchesReference()
    {
        // The vectorized 2x2 / stride 2 path, with pads, odd sizes and ceil_mode borders.
        std::mt19937 rng(7);
        for (int i = 0; i < 60; ++i) {
            PoolCase c = randomPoolCase(rng, "MaxPool", 2);
            c.kernel = {2, 2};
            c.stride = {2, 2};
            c.dilation = {1, 1};
            c.indices = false;
            c.autoPad = static_cast<int>(rng() % 4);
            c.ceil = c.autoPad == 0 && rng() % 2;
            for (auto &p : c.pads)
                p = c.autoPad == 0 ? int64_t(rng() % 2) : 0;
            c.in = {int64_t(rng() % 20 + 2), int64_t(rng() % 40 + 2)};
            qInfo().noquote() << "case" << i << c.text();
            Dims xd = {c.n, c.c};
            xd.insert(xd.end(), c.in.begin(), c.in.end());
            const Tensor x = randomTensor(rng, xd);
            auto got = runNode(poolNode(c), {&x}, 19);
            QVERIFY2(got.has_value(), qPrintable(c.text() + " error: " + errorText(got)));
            QVERIFY2(maxRelDiff((*got)[0], referencePool(c, x).first) < 1e-6, qPrintable(c.text()));
        }
    }

    void maxPoolUint8AndGlobalPools()
    {
        const Tensor x = Tensor::fromVector<uint8_t>({1, 1, 2, 4}, {1, 9, 3, 4, 5, 6, 200, 8});
        auto y = runNode(makeNode("MaxPool", {intsAttr("kernel_shape", {2, 2}),
                                              intsAttr("strides", {2, 2})}),
                         {&x});
        QVERIFY(y.has_value());
        QCOMPARE((*y)[0].dtype(), DataType::UInt8);
        QCOMPARE((*y)[0].toInt64Vector(), (std::vector<int64_t>{9, 200}));
        const Tensor f = Tensor::fromVector<float>({1, 2, 2, 2}, {1, 2, 3, 6, -1, -2, -3, -4});
        auto avg = runNode(makeNode("GlobalAveragePool", {}), {&f});
        QVERIFY(avg.has_value());
        QCOMPARE((*avg)[0].dims(), (Dims{1, 2, 1, 1}));
        QCOMPARE((*avg)[0].toFloatVector(), (std::vector<float>{3.0f, -2.5f}));
        auto mx = runNode(makeNode("GlobalMaxPool", {}), {&f});
        QVERIFY(mx.has_value());
        QCOMPARE((*mx)[0].toFloatVector(), (std::vector<float>{6.0f, -1.0f}));
        auto lp = runNode(makeNode("GlobalLpPool", {intAttr("p", 1)}), {&f});
        QVERIFY(lp.has_value());
        QCOMPARE((*lp)[0].toFloatVector(), (std::vector<float>{12.0f, 10.0f}));
    }

    void maxUnpoolScattersAtPoolIndices()
    {
        std::mt19937 rng(4);
        const Tensor x = randomTensor(rng, {2, 3, 4, 6});
        auto pooled = runNode(makeNode("MaxPool", {intsAttr("kernel_shape", {2, 2}),
                                                   intsAttr("strides", {2, 2})}, 1, 2),
                              {&x});
        QVERIFY(pooled.has_value());
        const Tensor &vals = (*pooled)[0], &idx = (*pooled)[1];
        auto y = runNode(makeNode("MaxUnpool", {intsAttr("kernel_shape", {2, 2}),
                                                intsAttr("strides", {2, 2})}, 2),
                         {&vals, &idx}, 11);
        QVERIFY2(y.has_value(), qPrintable(errorText(y)));
        QCOMPARE((*y)[0].dims(), x.dims());
        std::vector<float> want(static_cast<std::size_t>(x.numel()), 0.0f);
        for (int64_t i = 0; i < idx.numel(); ++i)
            want[static_cast<std::size_t>(idx.data<int64_t>()[i])] = vals.data<float>()[i];
        QCOMPARE((*y)[0].toFloatVector(), want);
        const Tensor bad = Tensor::fromVector<int64_t>(
            idx.dims(), std::vector<int64_t>(static_cast<std::size_t>(idx.numel()), 999));
        y = runNode(makeNode("MaxUnpool", {intsAttr("kernel_shape", {2, 2}),
                                           intsAttr("strides", {2, 2})}, 2),
                    {&vals, &bad}, 11);
        QVERIFY(!y.has_value());
        QCOMPARE(errorText(y), QStringLiteral("MaxUnpool index 999 is outside the output of shape "
                                              "[2, 3, 4, 6]."));
    }

    void poolErrors()
    {
        std::mt19937 rng(3);
        const Tensor x = randomTensor(rng, {1, 2, 5, 5});
        auto y = runNode(makeNode("MaxPool", {}), {&x});
        QVERIFY(!y.has_value());
        QCOMPARE(errorText(y), QStringLiteral("MaxPool needs a kernel_shape attribute."));
        y = runNode(makeNode("AveragePool", {intsAttr("kernel_shape", {2})}), {&x});
        QVERIFY(!y.has_value());
        QCOMPARE(errorText(y), QStringLiteral("AveragePool kernel_shape [2] does not match the 2 "
                                              "spatial dimensions of X with shape [1, 2, 5, 5]."));
        y = runNode(makeNode("MaxPool", {intsAttr("kernel_shape", {2, 2}),
                                         intsAttr("pads", {1, 1})}),
                    {&x});
        QVERIFY(!y.has_value());
        QCOMPARE(errorText(y), QStringLiteral("pads has 2 values but 4 are needed for 2 spatial "
                                              "dimensions."));
        y = runNode(makeNode("MaxPool", {intsAttr("kernel_shape", {6, 6})}), {&x});
        QVERIFY(!y.has_value());
        QCOMPARE(errorText(y), QStringLiteral("the padded input size 5 is smaller than the "
                                              "dilated kernel size 6 in spatial dimension 0."));
        const Tensor xi = Tensor::fromVector<int8_t>({1, 1, 2, 2}, {1, 2, 3, 4});
        y = runNode(makeNode("AveragePool", {intsAttr("kernel_shape", {2, 2})}), {&xi});
        QVERIFY(!y.has_value());
        QCOMPARE(errorText(y), QStringLiteral("AveragePool does not support element type int8."));
    }
};

QTEST_APPLESS_MAIN(TestNnPool)
#include "test_nn_pool.moc"
