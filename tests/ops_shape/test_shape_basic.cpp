// Shape-computing ops on small hand-checked cases, their opset differences (Reshape allowzero,
// Squeeze/Unsqueeze axes attribute vs input, Shape start/end, Dropout mask type) and their
// error messages.
#include "shape_test_util.h"

using namespace nnc;
using namespace nnc::shapetest;

class TestShapeBasic : public QObject
{
    Q_OBJECT

private slots:
    void reshapeCopiesZeroAndInfersMinusOne()
    {
        const Tensor x = iota({2, 3, 4});
        const Tensor shape = i64({3}, {0, -1, 2});
        SHAPE_RUN(y, "Reshape", {}, {&x, &shape}, 13);
        QCOMPARE(y.dims(), (Dims{2, 6, 2}));
        QCOMPARE(floats(y), floats(x));
    }

    void reshapeAllowZeroOnlyFromOpset14()
    {
        const Tensor x = Tensor(DataType::Float, {0, 3});
        const Tensor shape = i64({2}, {3, 0});
        // allowzero=1 at opset 14: the 0 is a real zero-sized dimension.
        SHAPE_RUN(y, "Reshape", {intAttr("allowzero", 1)}, {&x, &shape}, 14);
        QCOMPARE(y.dims(), (Dims{3, 0}));
        // At opset 13 the attribute does not exist: 0 copies input dim 1 (= 3), giving [3, 3],
        // which cannot hold 0 elements.
        auto r = run("Reshape", {intAttr("allowzero", 1)}, {&x, &shape}, 13);
        QCOMPARE(QString::fromStdString(errorOf(r)),
                 QString("cannot reshape a tensor of shape [0, 3] (0 elements) to [3, 0] "
                         "(9 elements)."));
        // allowzero=0 at opset 14 copies too.
        const Tensor x2 = iota({2, 3});
        const Tensor s2 = i64({2}, {3, 0});
        auto r2 = run("Reshape", {}, {&x2, &s2}, 14);
        QVERIFY(!r2);
        const Tensor s3 = i64({2}, {0, 3});
        SHAPE_RUN(y3, "Reshape", {}, {&x2, &s3}, 14);
        QCOMPARE(y3.dims(), (Dims{2, 3}));
    }

    void reshapeErrorsNameBothShapes()
    {
        const Tensor x = iota({2, 3});
        const Tensor bad = i64({2}, {4, -1});
        QCOMPARE(QString::fromStdString(errorOf(run("Reshape", {}, {&x, &bad}, 13))),
                 QString("cannot reshape a tensor of shape [2, 3] (6 elements) to [4, -1]: "
                         "6 elements are not divisible by 4."));
        const Tensor two = i64({2}, {-1, -1});
        QCOMPARE(QString::fromStdString(errorOf(run("Reshape", {}, {&x, &two}, 13))),
                 QString("cannot reshape a tensor of shape [2, 3] (6 elements) to [-1, -1]: "
                         "more than one dimension is -1."));
        const Tensor wrong = i64({2}, {4, 2});
        QCOMPARE(QString::fromStdString(errorOf(run("Reshape", {}, {&x, &wrong}, 13))),
                 QString("cannot reshape a tensor of shape [2, 3] (6 elements) to [4, 2] "
                         "(8 elements)."));
        const Tensor zeroPast = i64({3}, {0, 0, 0});
        QCOMPARE(QString::fromStdString(errorOf(run("Reshape", {}, {&x, &zeroPast}, 13))),
                 QString("cannot reshape a tensor of shape [2, 3] (6 elements) to [0, 0, 0]: the "
                         "0 at index 2 copies an input dimension that does not exist."));
        const Tensor neg = i64({2}, {-2, 3});
        QVERIFY(errorOf(run("Reshape", {}, {&x, &neg}, 13)).find("negative") != std::string::npos);
        const Tensor both = i64({2}, {0, -1});
        const Tensor empty(DataType::Float, {0, 3});
        QVERIFY(errorOf(run("Reshape", {intAttr("allowzero", 1)}, {&empty, &both}, 14))
                    .find("allowzero") != std::string::npos);
    }

    void reshapeOfStringsAndMissingShape()
    {
        Tensor s(DataType::String, {2, 2});
        s.mutableStrings() = {"a", "b", "c", "d"};
        const Tensor shape = i64({1}, {4});
        SHAPE_RUN(y, "Reshape", {}, {&s, &shape}, 13);
        QCOMPARE(y.dims(), (Dims{4}));
        QCOMPARE(y.strings()[3], std::string("d"));
        QCOMPARE(QString::fromStdString(errorOf(run("Reshape", {}, {&s, nullptr}, 13))),
                 QString("Reshape needs input 1 (shape) but it is missing."));
    }

    void flattenAxes()
    {
        const Tensor x = iota({2, 3, 4, 5});
        for (auto [axis, rows] : std::vector<std::pair<int64_t, int64_t>>{
                 {0, 1}, {1, 2}, {2, 6}, {3, 24}, {4, 120}, {-1, 24}, {-4, 1}}) {
            qDebug("Flatten axis %lld", static_cast<long long>(axis));
            SHAPE_RUN(y, "Flatten", {intAttr("axis", axis)}, {&x}, 13);
            QCOMPARE(y.dims(), (Dims{rows, 120 / rows}));
        }
        QCOMPARE(QString::fromStdString(errorOf(run("Flatten", {intAttr("axis", 5)}, {&x}, 13))),
                 QString("Flatten axis 5 is out of range for rank 4 (allowed [-4, 4])."));
    }

    void squeezeAttributeBefore13InputFrom13()
    {
        const Tensor x = iota({1, 3, 1, 2});
        SHAPE_RUN(a, "Squeeze", {intsAttr("axes", {0})}, {&x}, 11);
        QCOMPARE(a.dims(), (Dims{3, 1, 2}));
        SHAPE_RUN(all, "Squeeze", {}, {&x}, 11);
        QCOMPARE(all.dims(), (Dims{3, 2}));
        // Opset 13 ignores the attribute and reads input 1.
        const Tensor axes = i64({1}, {-2});
        SHAPE_RUN(b, "Squeeze", {intsAttr("axes", {0})}, {&x, &axes}, 13);
        QCOMPARE(b.dims(), (Dims{1, 3, 2}));
        SHAPE_RUN(c, "Squeeze", {intsAttr("axes", {0})}, {&x}, 13);
        QCOMPARE(c.dims(), (Dims{3, 2}));
        const Tensor none = i64({0}, {});
        SHAPE_RUN(e, "Squeeze", {}, {&x, &none}, 13);
        QCOMPARE(e.dims(), (Dims{3, 2}));
        const Tensor bad = i64({1}, {1});
        QCOMPARE(QString::fromStdString(errorOf(run("Squeeze", {}, {&x, &bad}, 13))),
                 QString("Squeeze cannot remove axis 1 of shape [1, 3, 1, 2] because its size is "
                         "not 1."));
        const Tensor out = i64({1}, {4});
        QCOMPARE(QString::fromStdString(errorOf(run("Squeeze", {}, {&x, &out}, 13))),
                 QString("Squeeze axis 4 is out of range for rank 4."));
    }

    void unsqueezeAttributeBefore13InputFrom13()
    {
        const Tensor x = iota({3, 4});
        SHAPE_RUN(a, "Unsqueeze", {intsAttr("axes", {0, 3})}, {&x}, 11);
        QCOMPARE(a.dims(), (Dims{1, 3, 4, 1}));
        const Tensor axes = i64({2}, {-1, 1});
        SHAPE_RUN(b, "Unsqueeze", {}, {&x, &axes}, 13);
        QCOMPARE(b.dims(), (Dims{3, 1, 4, 1}));
        QVERIFY(!run("Unsqueeze", {}, {&x}, 11));
        QVERIFY(!run("Unsqueeze", {}, {&x}, 13));
        const Tensor dup = i64({2}, {1, 1});
        QCOMPARE(QString::fromStdString(errorOf(run("Unsqueeze", {}, {&x, &dup}, 13))),
                 QString("Unsqueeze axes [1, 1] repeat axis 1."));
    }

    void shapeStartEndFromOpset15()
    {
        const Tensor x = iota({2, 3, 4, 5});
        SHAPE_RUN(full, "Shape", {intAttr("start", 1)}, {&x}, 14);
        QCOMPARE(ints(full), (std::vector<int64_t>{2, 3, 4, 5}));
        SHAPE_RUN(part, "Shape", {intAttr("start", 1), intAttr("end", -1)}, {&x}, 15);
        QCOMPARE(ints(part), (std::vector<int64_t>{3, 4}));
        SHAPE_RUN(clip, "Shape", {intAttr("start", -10), intAttr("end", 10)}, {&x}, 15);
        QCOMPARE(ints(clip), (std::vector<int64_t>{2, 3, 4, 5}));
        SHAPE_RUN(none, "Shape", {intAttr("start", 3), intAttr("end", 1)}, {&x}, 15);
        QCOMPARE(none.dims(), (Dims{0}));
        SHAPE_RUN(n, "Size", {}, {&x}, 13);
        QCOMPARE(n.dims(), Dims{});
        QCOMPARE(ints(n), (std::vector<int64_t>{120}));
    }

    void constantAttributes()
    {
        SHAPE_RUN(a, "Constant", {floatAttr("value_float", 2.5f)}, {}, 13);
        QCOMPARE(a.dims(), Dims{});
        QCOMPARE(floats(a), (std::vector<float>{2.5f}));
        SHAPE_RUN(b, "Constant", {intsAttr("value_ints", {1, 2, 3})}, {}, 13);
        QCOMPARE(b.dtype(), DataType::Int64);
        QCOMPARE(ints(b), (std::vector<int64_t>{1, 2, 3}));
        SHAPE_RUN(c, "Constant", {floatsAttr("value_floats", {1, 2})}, {}, 13);
        QCOMPARE(c.dims(), (Dims{2}));
        SHAPE_RUN(d, "Constant", {intAttr("value_int", 7)}, {}, 13);
        QCOMPARE(ints(d), (std::vector<int64_t>{7}));
        SHAPE_RUN(e, "Constant", {stringAttr("value_string", "hi")}, {}, 13);
        QCOMPARE(e.strings()[0], std::string("hi"));
        const Tensor stored = i32({2, 2}, {1, 2, 3, 4});
        SHAPE_RUN(f, "Constant", {tensorAttr("value", stored)}, {}, 13);
        QVERIFY(sameTensor(f, stored));
        QCOMPARE(QString::fromStdString(errorOf(run("Constant", {}, {}, 13))),
                 QString("Constant needs exactly one of the attributes value, value_float(s), "
                         "value_int(s) or value_string(s); found 0."));
    }

    void constantOfShape()
    {
        const Tensor shape = i64({2}, {2, 3});
        SHAPE_RUN(z, "ConstantOfShape", {}, {&shape}, 13);
        QCOMPARE(z.dtype(), DataType::Float);
        QCOMPARE(floats(z), std::vector<float>(6, 0.0f));
        SHAPE_RUN(v, "ConstantOfShape", {tensorAttr("value", i32({1}, {5}))}, {&shape}, 13);
        QCOMPARE(v.dtype(), DataType::Int32);
        QCOMPARE(ints(v), std::vector<int64_t>(6, 5));
        const Tensor empty = i64({0}, {});
        SHAPE_RUN(s, "ConstantOfShape", {tensorAttr("value", f32({1}, {3}))}, {&empty}, 13);
        QCOMPARE(s.dims(), Dims{});
        QCOMPARE(floats(s), (std::vector<float>{3}));
        const Tensor neg = i64({2}, {2, -1});
        QCOMPARE(QString::fromStdString(errorOf(run("ConstantOfShape", {}, {&neg}, 13))),
                 QString("ConstantOfShape got a negative dimension in shape [2, -1]."));
    }

    void identityAndDropout()
    {
        const Tensor x = iota({2, 2});
        SHAPE_RUN(id, "Identity", {}, {&x}, 13);
        QVERIFY(sameTensor(id, x));
        // Opset 7: mask has the data's type, all ones.
        auto old = run("Dropout", {floatAttr("ratio", 0.3f)}, {&x}, 7, 2);
        QVERIFY(old);
        QVERIFY(sameTensor((*old)[0], x));
        QCOMPARE((*old)[1].dtype(), DataType::Float);
        QCOMPARE(floats((*old)[1]), std::vector<float>(4, 1.0f));
        // Opset 12: bool mask, all true; training_mode=false keeps identity.
        const Tensor ratio = f32({}, {0.5f});
        Tensor training(DataType::Bool, {});
        auto now = run("Dropout", {}, {&x, &ratio, &training}, 12, 2);
        QVERIFY(now);
        QCOMPARE((*now)[1].dtype(), DataType::Bool);
        QCOMPARE(ints((*now)[1]), std::vector<int64_t>(4, 1));
        training.mutableData<uint8_t>()[0] = 1;
        auto train = run("Dropout", {}, {&x, &ratio, &training}, 12, 2);
        QVERIFY(!train);
        QCOMPARE(train.error().code, Error::Code::Unsupported);
        // Without a mask output only the data comes out.
        auto one = run("Dropout", {}, {&x}, 13, 1);
        QVERIFY(one && one->size() == 1);
    }

    void rangeIntAndFloat()
    {
        const Tensor s = i32({}, {10}), l = i32({}, {4}), d = i32({}, {-3});
        SHAPE_RUN(a, "Range", {}, {&s, &l, &d}, 11);
        QCOMPARE(a.dtype(), DataType::Int32);
        QCOMPARE(ints(a), (std::vector<int64_t>{10, 7}));
        const Tensor fs = f32({}, {1}), fl = f32({}, {5}), fd = f32({}, {1.5f});
        SHAPE_RUN(b, "Range", {}, {&fs, &fl, &fd}, 11);
        QCOMPARE(floats(b), (std::vector<float>{1, 2.5f, 4}));
        const Tensor e = i64({}, {5}), el = i64({}, {5}), ed = i64({}, {1});
        SHAPE_RUN(c, "Range", {}, {&e, &el, &ed}, 11);
        QCOMPARE(c.dims(), (Dims{0}));
        const Tensor zero = i64({}, {0});
        QCOMPARE(QString::fromStdString(errorOf(run("Range", {}, {&e, &el, &zero}, 11))),
                 QString("Range delta must not be 0."));
        QVERIFY(errorOf(run("Range", {}, {&e, &fl, &ed}, 11)).find("one dtype") != std::string::npos);
    }

    void nonZero()
    {
        const Tensor x = f32({2, 3}, {0, 1, 0, 2, 0, 3});
        SHAPE_RUN(y, "NonZero", {}, {&x}, 13);
        QCOMPARE(y.dims(), (Dims{2, 3}));
        QCOMPARE(ints(y), (std::vector<int64_t>{0, 1, 1, 1, 0, 2}));
        const Tensor none = f32({3}, {0, 0, 0});
        SHAPE_RUN(z, "NonZero", {}, {&none}, 13);
        QCOMPARE(z.dims(), (Dims{1, 0}));
    }

    void oneHot()
    {
        const Tensor idx = i64({3}, {0, -1, 5});
        const Tensor depth = f32({}, {3});
        const Tensor values = f32({2}, {-1, 9});
        SHAPE_RUN(y, "OneHot", {}, {&idx, &depth, &values}, 11);
        QCOMPARE(y.dims(), (Dims{3, 3}));
        // -1 wraps to 2; 5 is out of range and stays all off.
        QCOMPARE(floats(y), (std::vector<float>{9, -1, -1, -1, -1, 9, -1, -1, -1}));
        SHAPE_RUN(t, "OneHot", {intAttr("axis", 0)}, {&idx, &depth, &values}, 11);
        QCOMPARE(t.dims(), (Dims{3, 3}));
        QCOMPARE(floats(t), (std::vector<float>{9, -1, -1, -1, -1, -1, -1, 9, -1}));
        const Tensor bad = f32({3}, {0, 1, 2});
        QVERIFY(errorOf(run("OneHot", {}, {&idx, &depth, &bad}, 11)).find("off_value")
                != std::string::npos);
    }

    void trilu()
    {
        const Tensor x = f32({3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
        SHAPE_RUN(u, "Trilu", {}, {&x}, 14);
        QCOMPARE(floats(u), (std::vector<float>{1, 2, 3, 0, 5, 6, 0, 0, 9}));
        const Tensor k = i64({}, {-1});
        SHAPE_RUN(l, "Trilu", {intAttr("upper", 0)}, {&x, &k}, 14);
        QCOMPARE(floats(l), (std::vector<float>{0, 0, 0, 4, 0, 0, 7, 8, 0}));
        const Tensor kp = i64({}, {1});
        SHAPE_RUN(u1, "Trilu", {}, {&x, &kp}, 14);
        QCOMPARE(floats(u1), (std::vector<float>{0, 2, 3, 0, 0, 6, 0, 0, 0}));
        const Tensor v = f32({3}, {1, 2, 3});
        QVERIFY(!run("Trilu", {}, {&v}, 14));
    }

    void eyeLike()
    {
        const Tensor x = Tensor(DataType::Int32, {2, 3});
        SHAPE_RUN(a, "EyeLike", {intAttr("k", 1)}, {&x}, 9);
        QCOMPARE(a.dtype(), DataType::Int32);
        QCOMPARE(ints(a), (std::vector<int64_t>{0, 1, 0, 0, 0, 1}));
        SHAPE_RUN(b, "EyeLike", {intAttr("dtype", 1), intAttr("k", -1)}, {&x}, 9);
        QCOMPARE(b.dtype(), DataType::Float);
        QCOMPARE(floats(b), (std::vector<float>{0, 0, 0, 1, 0, 0}));
    }
    void opTableCoversEveryOpsetOnce()
    {
        // (op, first opset it exists in, last opset it exists in)
        const std::vector<std::tuple<std::string, int, int>> ops = {
            {"Reshape", 7, 21}, {"Flatten", 7, 21}, {"Transpose", 7, 21}, {"Squeeze", 7, 21},
            {"Unsqueeze", 7, 21}, {"Concat", 7, 21}, {"Split", 7, 21}, {"Slice", 7, 21},
            {"Gather", 7, 21}, {"GatherElements", 11, 21}, {"GatherND", 11, 21},
            {"ScatterElements", 11, 21}, {"Scatter", 9, 12}, {"ScatterND", 11, 21},
            {"Shape", 7, 21}, {"Size", 7, 21}, {"Constant", 7, 21}, {"ConstantOfShape", 9, 21},
            {"Identity", 7, 21}, {"Dropout", 7, 21}, {"Expand", 8, 21}, {"Tile", 7, 21},
            {"Pad", 7, 21}, {"Resize", 10, 21}, {"Upsample", 7, 10}, {"Range", 11, 21},
            {"DepthToSpace", 7, 21}, {"SpaceToDepth", 7, 21}, {"NonZero", 9, 21},
            {"OneHot", 9, 21}, {"Trilu", 14, 21}, {"EyeLike", 9, 21}, {"Compress", 9, 21},
            {"ReverseSequence", 10, 21}};
        for (const auto &[op, first, last] : ops)
            for (int opset = 7; opset <= 21; ++opset) {
                const bool exists = opset >= first && opset <= last;
                if ((findKernel("", op, opset) != nullptr) != exists)
                    QFAIL(qPrintable(QString("%1 at opset %2: expected %3")
                                         .arg(QString::fromStdString(op)).arg(opset)
                                         .arg(exists ? "a kernel" : "none")));
            }
        // No two rows of the family overlap.
        const auto rows = shapeOps();
        for (std::size_t i = 0; i < rows.size(); ++i)
            for (std::size_t j = i + 1; j < rows.size(); ++j)
                if (rows[i].opType == rows[j].opType)
                    QVERIFY2(rows[i].untilVersion < rows[j].sinceVersion
                                 || rows[j].untilVersion < rows[i].sinceVersion,
                             std::string(rows[i].opType).c_str());
    }
};

QTEST_APPLESS_MAIN(TestShapeBasic)
#include "test_shape_basic.moc"
