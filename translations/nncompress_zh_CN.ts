<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>main</name>
    <message>
        <source>Inspect and compress ONNX neural networks.</source>
        <translation>查看并压缩 ONNX 神经网络。</translation>
    </message>
    <message>
        <source>User interface language (en, zh_CN).</source>
        <translation>界面语言（en、zh_CN）。</translation>
    </message>
    <message>
        <source>code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>ONNX model to open.</source>
        <translation>要打开的 ONNX 模型。</translation>
    </message>
    <message>
        <source>Unknown language &quot;%1&quot;; available: %2.</source>
        <translation>未知语言“%1”；可用语言：%2。</translation>
    </message>
</context>
<context>
    <name>nnc::ChannelRangePlot</name>
    <message>
        <source>Output channel (weight axis %1)</source>
        <translation>输出通道（权重轴 %1）</translation>
    </message>
    <message>
        <source>Weight value</source>
        <translation>权重值</translation>
    </message>
    <message>
        <source>No per-channel ranges for this layer</source>
        <translation>该层没有逐通道范围</translation>
    </message>
    <message>
        <source>Channel %1: min %2, max %3</source>
        <translation>通道 %1：最小值 %2，最大值 %3</translation>
    </message>
</context>
<context>
    <name>nnc::HistogramPlot</name>
    <message>
        <source>Weight value</source>
        <translation>权重值</translation>
    </message>
    <message>
        <source>Count (log scale)</source>
        <translation>计数（对数刻度）</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>计数</translation>
    </message>
    <message>
        <source>No finite values</source>
        <translation>没有有限值</translation>
    </message>
    <message>
        <source>[%1, %2): %3 values</source>
        <translation>[%1, %2)：%3 个值</translation>
    </message>
</context>
<context>
    <name>nnc::LayerTableModel</name>
    <message>
        <source>%1 (weight tensor %2)</source>
        <translation>%1（权重张量 %2）</translation>
    </message>
    <message>
        <source>#</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Op</source>
        <translation>算子</translation>
    </message>
    <message>
        <source>Position in the graph&apos;s node order</source>
        <translation>在计算图节点顺序中的位置</translation>
    </message>
    <message>
        <source>Shape of the weight tensor</source>
        <translation>权重张量的形状</translation>
    </message>
    <message>
        <source>Number of weight elements</source>
        <translation>权重元素个数</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <source>Params</source>
        <translation>参数量</translation>
    </message>
    <message>
        <source>Stored as</source>
        <translation>存储为</translation>
    </message>
    <message>
        <source>%1 (quantized)</source>
        <translation>%1（已量化）</translation>
    </message>
    <message>
        <source>Element type of the weight as stored in the file; &quot;quantized&quot; when it is stored as integers with a scale (DequantizeLinear or *Integer ops)</source>
        <translation>权重在文件中存储的元素类型；若以带缩放因子的整数存储（DequantizeLinear 或 *Integer 算子），则标注“已量化”</translation>
    </message>
</context>
<context>
    <name>nnc::PlotWidget</name>
    <message>
        <source>Reset view</source>
        <translation>重置视图</translation>
    </message>
    <message>
        <source>Save as PNG…</source>
        <translation>另存为 PNG…</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>另存为 PDF…</translation>
    </message>
    <message>
        <source>Save as SVG…</source>
        <translation>另存为 SVG…</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <source>SVG image (*.svg)</source>
        <translation>SVG 图像 (*.svg)</translation>
    </message>
    <message>
        <source>Save Plot</source>
        <translation>保存图表</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Could not draw the plot into %1.</source>
        <translation>无法将图表绘制到 %1。</translation>
    </message>
</context>
<context>
    <name>nnc::WeightStatsPanel</name>
    <message>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <source>Stored type</source>
        <translation>存储类型</translation>
    </message>
    <message>
        <source>Stored quantized</source>
        <translation>以量化形式存储</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>计数</translation>
    </message>
    <message>
        <source>Min</source>
        <translation>最小值</translation>
    </message>
    <message>
        <source>Max</source>
        <translation>最大值</translation>
    </message>
    <message>
        <source>Mean</source>
        <translation>均值</translation>
    </message>
    <message>
        <source>Std</source>
        <translation>标准差</translation>
    </message>
    <message>
        <source>Abs max</source>
        <translation>绝对值最大</translation>
    </message>
    <message>
        <source>Zeros</source>
        <translation>零值个数</translation>
    </message>
    <message>
        <source>Sparsity</source>
        <translation>稀疏度</translation>
    </message>
    <message>
        <source>NaN</source>
        <translation>NaN</translation>
    </message>
    <message>
        <source>Inf</source>
        <translation>Inf</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>通道</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>%1 (axis %2)</source>
        <translation>%1 个（轴 %2）</translation>
    </message>
</context>
<context>
    <name>nnc::studio::MainWindow</name>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Open Model…</source>
        <translation>打开模型(&amp;O)…</translation>
    </message>
    <message>
        <source>Open an ONNX model file</source>
        <translation>打开 ONNX 模型文件</translation>
    </message>
    <message>
        <source>&amp;Close Model</source>
        <translation>关闭模型(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Log-Scale Counts</source>
        <translation>对数计数(&amp;L)</translation>
    </message>
    <message>
        <source>Show histogram counts on a logarithmic axis (%1)</source>
        <translation>以对数坐标显示直方图计数（%1）</translation>
    </message>
    <message>
        <source>&amp;Per-Channel Ranges</source>
        <translation>逐通道范围(&amp;P)</translation>
    </message>
    <message>
        <source>Show the min/max range of each output channel (%1)</source>
        <translation>显示每个输出通道的最小/最大值范围（%1）</translation>
    </message>
    <message>
        <source>&amp;About NNCompress Studio</source>
        <translation>关于 NNCompress Studio(&amp;A)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>关于 &amp;Qt</translation>
    </message>
    <message>
        <source>&amp;System Default</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
        <source>&lt;p style=&apos;font-size:large&apos;&gt;&lt;b&gt;No model open&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Open an ONNX model with &lt;b&gt;File ▸ Open Model…&lt;/b&gt; (%1),&lt;br&gt;pick one from &lt;b&gt;Open Recent&lt;/b&gt;, or drop a .onnx file here.&lt;/p&gt;</source>
        <translation>&lt;p style=&apos;font-size:large&apos;&gt;&lt;b&gt;尚未打开模型&lt;/b&gt;&lt;/p&gt;&lt;p&gt;通过&lt;b&gt;文件 ▸ 打开模型…&lt;/b&gt;（%1）打开 ONNX 模型，&lt;br&gt;从&lt;b&gt;最近打开&lt;/b&gt;中选择，或将 .onnx 文件拖放到此处。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Open Model…</source>
        <translation>打开模型…</translation>
    </message>
    <message>
        <source>Filter layers by name or op</source>
        <translation>按名称或算子筛选层</translation>
    </message>
    <message>
        <source>&amp;Bins:</source>
        <translation>分箱数(&amp;B)：</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop loading the model</source>
        <translation>停止加载模型</translation>
    </message>
    <message>
        <source>Select a layer</source>
        <translation>请选择一个层</translation>
    </message>
    <message>
        <source>NNCompress Studio</source>
        <translation>NNCompress Studio</translation>
    </message>
    <message>
        <source>%1 — NNCompress Studio</source>
        <translation>%1 — NNCompress Studio</translation>
    </message>
    <message>
        <source>The %1 translation is missing.</source>
        <translation>缺少%1翻译。</translation>
    </message>
    <message>
        <source>Open Model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <source>ONNX models (*.onnx);;All files (*)</source>
        <translation>ONNX 模型 (*.onnx);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <source>Loading cancelled.</source>
        <translation>已取消加载。</translation>
    </message>
    <message numerus="yes">
        <source>Loaded %1: %n layer(s).</source>
        <translation>
            <numerusform>已加载 %1：%n 个层。</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not open %1.</source>
        <translation>无法打开 %1。</translation>
    </message>
    <message>
        <source>%1 — %2, weight %3 %4</source>
        <translation>%1 — %2，权重 %3 %4</translation>
    </message>
    <message>
        <source>Could not read this layer&apos;s weight.</source>
        <translation>无法读取该层的权重。</translation>
    </message>
    <message>
        <source>This model has no layers with constant weights.</source>
        <translation>该模型没有带常量权重的层。</translation>
    </message>
    <message>
        <source>IR %1 · opsets: %2 · %3 nodes · %4 parameters · %5 as float32</source>
        <translation>IR %1 · 算子集：%2 · %3 个节点 · %4 个参数 · float32 大小 %5</translation>
    </message>
    <message>
        <source>Produced by %1</source>
        <translation>由 %1 生成</translation>
    </message>
    <message>
        <source>Clear Recent Files</source>
        <translation>清除最近打开的文件</translation>
    </message>
    <message>
        <source>About NNCompress Studio</source>
        <translation>关于 NNCompress Studio</translation>
    </message>
    <message>
        <source>&lt;h3&gt;NNCompress Studio %1&lt;/h3&gt;&lt;p&gt;Inspect the weights of ONNX neural networks and plan their compression.&lt;/p&gt;&lt;p&gt;Built with Qt %2 and QCustomPlot.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;NNCompress Studio %1&lt;/h3&gt;&lt;p&gt;查看 ONNX 神经网络的权重并规划其压缩。&lt;/p&gt;&lt;p&gt;基于 Qt %2 和 QCustomPlot 构建。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Parameters as stored: %1</source>
        <translation>参数存储大小：%1</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>自动</translation>
    </message>
</context>
</TS>
