<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>QObject</name>
    <message>
        <source>No model and validation data are open.</source>
        <translation>尚未打开模型和验证数据。</translation>
    </message>
    <message>
        <source>%1 (%2 bytes)</source>
        <translation>%1（%2 字节）</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>精度</translation>
    </message>
    <message>
        <source>top-5 accuracy</source>
        <translation>前 5 精度</translation>
    </message>
    <message>
        <source>token accuracy</source>
        <translation>词元精度</translation>
    </message>
    <message>
        <source>entity F1</source>
        <translation>实体 F1</translation>
    </message>
    <message>
        <source>agreement</source>
        <translation>一致率</translation>
    </message>
    <message>
        <source> pp</source>
        <translation> 百分点</translation>
    </message>
    <message>
        <source>default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>The largest drop this head may have, in percentage points. The lowest position, &quot;default&quot;, removes the head&apos;s own budget so the default for every head applies.</source>
        <translation>该输出头允许的最大下降，单位为百分点。最低档“默认”会移除该输出头自己的预算，改用所有输出头的默认预算。</translation>
    </message>
</context>
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
        <source>Unknown language &quot;%1&quot;; available: %2.</source>
        <translation>未知语言“%1”；可用语言：%2。</translation>
    </message>
    <message>
        <source>Validation data to open with the model.</source>
        <translation>与模型一起打开的验证数据。</translation>
    </message>
    <message>
        <source>file</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Render the main views of the demo into a folder as PNG files, then quit.</source>
        <translation>将演示的主要视图渲染为 PNG 文件保存到文件夹中，然后退出。</translation>
    </message>
    <message>
        <source>folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Window size for --screenshots (default 1280x800).</source>
        <translation>--screenshots 使用的窗口大小（默认 1280x800）。</translation>
    </message>
    <message>
        <source>Text appended to each screenshot&apos;s file name.</source>
        <translation>附加到每个截图文件名后的文字。</translation>
    </message>
    <message>
        <source>Model, project or plan to open (default: the demo model with its validation data).</source>
        <translation>要打开的模型、项目或方案（默认：演示模型及其验证数据）。</translation>
    </message>
</context>
<context>
    <name>nnc::ActivationPlot</name>
    <message>
        <source>Activation value</source>
        <translation>激活值</translation>
    </message>
    <message>
        <source>%1 proposes [%2, %3]: click to use this range</source>
        <translation>%1 建议 [%2, %3]：点击以使用此范围</translation>
    </message>
    <message>
        <source>No finite values</source>
        <translation>没有有限值</translation>
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
        <source>Logarithmic counts</source>
        <translation>对数计数</translation>
    </message>
</context>
<context>
    <name>nnc::ActivationView</name>
    <message>
        <source>MinMax</source>
        <translation>最小/最大值</translation>
    </message>
    <message>
        <source>Percentile %1</source>
        <translation>百分位 %1</translation>
    </message>
    <message>
        <source>Entropy</source>
        <translation>熵</translation>
    </message>
    <message>
        <source>MSE</source>
        <translation>MSE</translation>
    </message>
    <message>
        <source>Manual</source>
        <translation>手动</translation>
    </message>
    <message>
        <source>&amp;Log counts</source>
        <translation>对数计数(&amp;L)</translation>
    </message>
    <message>
        <source>Logarithmic counts: rare values in the tails stay visible next to the peak.</source>
        <translation>对数计数：让尾部的稀少数值在峰值旁边仍然可见。</translation>
    </message>
    <message>
        <source>Calibration: choosing the range [rmin, rmax] that the quantized activation covers; values outside it are clipped.</source>
        <translation>校准：选择量化后激活值所覆盖的范围 [rmin, rmax]；超出范围的值会被截断。</translation>
    </message>
    <message>
        <source>MinMax: the full observed range, so nothing is clipped.</source>
        <translation>最小/最大值：观测到的完整范围，不截断任何值。</translation>
    </message>
    <message>
        <source>Percentile: the range holding all but the rarest 0.01 % of values.</source>
        <translation>百分位：包含除最罕见的 0.01 % 以外所有值的范围。</translation>
    </message>
    <message>
        <source>Entropy: the range whose quantized histogram loses the least information (KL divergence).</source>
        <translation>熵：量化后直方图信息损失（KL 散度）最小的范围。</translation>
    </message>
    <message>
        <source>MSE: the range with the smallest expected squared quantization error.</source>
        <translation>MSE：期望量化平方误差最小的范围。</translation>
    </message>
    <message>
        <source>Input activations</source>
        <translation>输入激活</translation>
    </message>
    <message>
        <source>Input activations of %1</source>
        <translation>%1 的输入激活</translation>
    </message>
    <message>
        <source>Select a layer to see its input activations</source>
        <translation>选择一层以查看其输入激活</translation>
    </message>
    <message>
        <source>Open validation data to see activation statistics</source>
        <translation>打开验证数据以查看激活统计</translation>
    </message>
    <message>
        <source>No activation statistics</source>
        <translation>没有激活统计</translation>
    </message>
    <message>
        <source>Computing activation statistics…</source>
        <translation>正在计算激活统计…</translation>
    </message>
    <message>
        <source>This layer has no activation input to quantize</source>
        <translation>该层没有可量化的激活输入</translation>
    </message>
    <message>
        <source>Its data input is not a float activation (for example the token ids of an embedding lookup).</source>
        <translation>它的数据输入不是浮点激活（例如词嵌入查找的词元 ID）。</translation>
    </message>
    <message>
        <source>set in the plan</source>
        <translation>在方案中设定</translation>
    </message>
    <message>
        <source>calibrated with %1 when evaluated</source>
        <translation>评估时用 %1 校准</translation>
    </message>
    <message>
        <source>Tensor %1</source>
        <translation>张量 %1</translation>
    </message>
    <message>
        <source>%1 samples, %2 values</source>
        <translation>%1 个样本，%2 个值</translation>
    </message>
    <message>
        <source>min %1, max %2</source>
        <translation>最小 %1，最大 %2</translation>
    </message>
    <message>
        <source>activation quantization is off for this tensor</source>
        <translation>该张量未启用激活量化</translation>
    </message>
    <message>
        <source>range in use [%1, %2] (%3)</source>
        <translation>当前范围 [%1, %2]（%3）</translation>
    </message>
    <message>
        <source>clipped %1 %</source>
        <translation>截断 %1 %</translation>
    </message>
    <message>
        <source>%1 bits, %2 levels</source>
        <translation>%1 位，%2 个量化级</translation>
    </message>
    <message>
        <source>%1 NaN or infinite values left out</source>
        <translation>已排除 %1 个 NaN 或无穷值</translation>
    </message>
    <message>
        <source>The model has no layer named %1.</source>
        <translation>模型中没有名为 %1 的层。</translation>
    </message>
    <message>
        <source>Computing activation statistics… %1 %</source>
        <translation>正在计算激活统计… %1 %</translation>
    </message>
    <message>
        <source>Use the %1 range for %2</source>
        <translation>对 %2 使用 %1 范围</translation>
    </message>
    <message>
        <source>Use:</source>
        <translation>使用：</translation>
    </message>
    <message>
        <source>Proposed range: [%1, %2]</source>
        <translation>建议范围：[%1, %2]</translation>
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
    <name>nnc::DistillPage</name>
    <message>
        <source>Teacher:</source>
        <translation>教师模型：</translation>
    </message>
    <message>
        <source>Student:</source>
        <translation>学生模型：</translation>
    </message>
    <message>
        <source>Data:</source>
        <translation>数据：</translation>
    </message>
    <message>
        <source>Temperature:</source>
        <translation>温度：</translation>
    </message>
    <message>
        <source>The larger model whose soft outputs the student learnt from.</source>
        <translation>较大的模型，学生模型从它的软输出中学习。</translation>
    </message>
    <message>
        <source>The smaller model trained to imitate the teacher.</source>
        <translation>较小的模型，经过训练来模仿教师模型。</translation>
    </message>
    <message>
        <source>Validation data both models are run on; labels come from the teacher&apos;s binding of it.</source>
        <translation>两个模型都在其上运行的验证数据；标签按教师模型的绑定方式读取。</translation>
    </message>
    <message>
        <source>Choose the teacher model.</source>
        <translation>选择教师模型。</translation>
    </message>
    <message>
        <source>Choose the student model.</source>
        <translation>选择学生模型。</translation>
    </message>
    <message>
        <source>Choose the validation data.</source>
        <translation>选择验证数据。</translation>
    </message>
    <message>
        <source>Softmax temperature T: logits are divided by T before the softmax, which softens both models&apos; outputs for the KL divergence and the soft labels.</source>
        <translation>Softmax 温度 T：在 softmax 之前将 logits 除以 T，使两个模型的输出更平滑，用于计算 KL 散度和软标签。</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Compare the student with the teacher on the data.</source>
        <translation>在数据上比较学生模型与教师模型。</translation>
    </message>
    <message>
        <source>Evaluate the Student under the Current Plan</source>
        <translation>按当前方案评估学生模型</translation>
    </message>
    <message>
        <source>Also run the student compressed with the project&apos;s plan, to see how much of the teacher&apos;s accuracy is left after distilling and then quantizing.</source>
        <translation>同时运行按项目方案压缩后的学生模型，看看先蒸馏再量化之后还保留了教师模型多少精度。</translation>
    </message>
    <message>
        <source>Export Soft Labels…</source>
        <translation>导出软标签…</translation>
    </message>
    <message>
        <source>Write the teacher&apos;s logits and its softmax at temperature T for every sample of the data to an .npz file a training pipeline can read.</source>
        <translation>将教师模型对每个样本的 logits 及温度 T 下的 softmax 写入训练流程可读取的 .npz 文件。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop the running work; nothing is written.</source>
        <translation>停止正在进行的工作；不会写入任何文件。</translation>
    </message>
    <message>
        <source>Each head: teacher against student</source>
        <translation>各输出头：教师与学生对比</translation>
    </message>
    <message>
        <source>Size, compute and speed</source>
        <translation>大小、计算量与速度</translation>
    </message>
    <message>
        <source>Accuracy per class</source>
        <translation>各类别精度</translation>
    </message>
    <message>
        <source>Head:</source>
        <translation>输出头：</translation>
    </message>
    <message>
        <source>The output head whose per-class accuracy is shown.</source>
        <translation>显示其各类别精度的输出头。</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>The output head both models share.</source>
        <translation>两个模型共有的输出头。</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>The quality measure of the head&apos;s task (accuracy, entity F1).</source>
        <translation>该输出头任务的质量指标（精度、实体 F1）。</translation>
    </message>
    <message>
        <source>Teacher</source>
        <translation>教师</translation>
    </message>
    <message>
        <source>The teacher&apos;s metric on the data.</source>
        <translation>教师模型在该数据上的指标。</translation>
    </message>
    <message>
        <source>Student</source>
        <translation>学生</translation>
    </message>
    <message>
        <source>The student&apos;s metric on the data.</source>
        <translation>学生模型在该数据上的指标。</translation>
    </message>
    <message>
        <source>Δ pp</source>
        <translation>Δ 百分点</translation>
    </message>
    <message>
        <source>Student minus teacher, in percentage points.</source>
        <translation>学生减去教师，单位为百分点。</translation>
    </message>
    <message>
        <source>Agreement</source>
        <translation>一致率</translation>
    </message>
    <message>
        <source>Share of samples (or unmasked tokens) where the student predicts the teacher&apos;s class.</source>
        <translation>学生模型预测出与教师模型相同类别的样本（或未屏蔽词元）所占比例。</translation>
    </message>
    <message>
        <source>KL(T‖S)</source>
        <translation>KL(T‖S)</translation>
    </message>
    <message>
        <source>Kullback-Leibler divergence of the student&apos;s softened outputs from the teacher&apos;s at temperature T, in nats; 0 means identical.</source>
        <translation>温度 T 下学生模型平滑输出相对教师模型的 KL 散度，单位为奈特；0 表示完全相同。</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>方案</translation>
    </message>
    <message>
        <source>The student&apos;s metric when compressed with the project&apos;s plan.</source>
        <translation>按项目方案压缩后学生模型的指标。</translation>
    </message>
    <message>
        <source>Plan Δ pp</source>
        <translation>方案 Δ 百分点</translation>
    </message>
    <message>
        <source>The compressed student minus the teacher, in percentage points: what is left of the teacher&apos;s accuracy.</source>
        <translation>压缩后的学生减去教师，单位为百分点：教师模型精度还剩多少。</translation>
    </message>
    <message>
        <source>Plan agreement</source>
        <translation>方案一致率</translation>
    </message>
    <message>
        <source>Share of positions where the compressed student predicts the teacher&apos;s class.</source>
        <translation>压缩后的学生模型预测出与教师模型相同类别的位置所占比例。</translation>
    </message>
    <message>
        <source>Plan KL</source>
        <translation>方案 KL</translation>
    </message>
    <message>
        <source>KL divergence of the compressed student from the teacher at temperature T, in nats.</source>
        <translation>温度 T 下压缩后的学生模型相对教师模型的 KL 散度，单位为奈特。</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Elements of the floating-point weights.</source>
        <translation>浮点权重的元素个数。</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>字节</translation>
    </message>
    <message>
        <source>The stored size of the weights and constants.</source>
        <translation>权重与常量的存储大小。</translation>
    </message>
    <message>
        <source>MACs</source>
        <translation>乘加次数</translation>
    </message>
    <message>
        <source>Multiply-accumulate operations of one inference, counted from the shapes.</source>
        <translation>一次推理的乘加运算次数，按张量形状计算。</translation>
    </message>
    <message>
        <source>ms per batch</source>
        <translation>每批毫秒数</translation>
    </message>
    <message>
        <source>Median wall time of one full batch on this machine with our engine.</source>
        <translation>用本引擎在本机上运行一整批的实际耗时中位数。</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>Distillation</source>
        <translation>知识蒸馏</translation>
    </message>
    <message>
        <source>Choose a teacher, a student and validation data first.</source>
        <translation>请先选择教师模型、学生模型和验证数据。</translation>
    </message>
    <message>
        <source>There is no project whose plan could be applied.</source>
        <translation>没有可应用其方案的项目。</translation>
    </message>
    <message>
        <source>Comparing; the student also under the plan…</source>
        <translation>正在比较；同时评估按方案压缩的学生模型…</translation>
    </message>
    <message>
        <source>Comparing the teacher and the student…</source>
        <translation>正在比较教师模型和学生模型…</translation>
    </message>
    <message>
        <source>Comparison done.</source>
        <translation>比较完成。</translation>
    </message>
    <message>
        <source>Export Soft Labels</source>
        <translation>导出软标签</translation>
    </message>
    <message>
        <source>NumPy archives (*.npz)</source>
        <translation>NumPy 归档 (*.npz)</translation>
    </message>
    <message>
        <source>Choose a teacher and data first.</source>
        <translation>请先选择教师模型和数据。</translation>
    </message>
    <message>
        <source>Writing the teacher&apos;s soft labels…</source>
        <translation>正在写入教师模型的软标签…</translation>
    </message>
    <message numerus="yes">
        <source>Wrote %1: %n sample(s).</source>
        <translation>
            <numerusform>已写入 %1：%n 个样本。</numerusform>
        </translation>
    </message>
    <message>
        <source>Pick a teacher, its distilled student and validation data, then press Run.</source>
        <translation>选择教师模型、由它蒸馏出的学生模型和验证数据，然后点击“运行”。</translation>
    </message>
    <message>
        <source>No comparison yet</source>
        <translation>尚未比较</translation>
    </message>
    <message numerus="yes">
        <source>%n sample(s), temperature %1. MACs counted for one input of batch %2, sequence length %3; times are the median of %4 batches of %5.</source>
        <translation>
            <numerusform>%n 个样本，温度 %1。乘加次数按批大小 %2、序列长度 %3 的一个输入计算；时间为 %4 批（每批 %5 个）的中位数。</numerusform>
        </translation>
    </message>
    <message>
        <source>Under the plan the student&apos;s weights take %1 bytes (%2 as float).</source>
        <translation>按方案压缩后，学生模型的权重占 %1 字节（浮点为 %2）。</translation>
    </message>
    <message numerus="yes">
        <source>%n activation range(s) the plan lacked were calibrated.</source>
        <translation>
            <numerusform>已校准方案中缺少的 %n 个激活范围。</numerusform>
        </translation>
    </message>
    <message>
        <source>Output %1 is in only one of the models and was not compared.</source>
        <translation>输出 %1 只存在于其中一个模型中，未参与比较。</translation>
    </message>
    <message numerus="yes">
        <source>%n position(s) compared</source>
        <translation>
            <numerusform>比较了 %n 个位置</numerusform>
        </translation>
    </message>
    <message>
        <source>The teacher model.</source>
        <translation>教师模型。</translation>
    </message>
    <message>
        <source>The student model.</source>
        <translation>学生模型。</translation>
    </message>
    <message>
        <source>Student ÷ teacher</source>
        <translation>学生 ÷ 教师</translation>
    </message>
    <message>
        <source>The student&apos;s figure as a share of the teacher&apos;s.</source>
        <translation>学生模型的数值占教师模型数值的比例。</translation>
    </message>
    <message>
        <source>Student under the plan</source>
        <translation>按方案压缩的学生模型</translation>
    </message>
    <message>
        <source>The student&apos;s weights compressed with the project&apos;s plan (same parameters and MACs; not timed).</source>
        <translation>按项目方案压缩权重后的学生模型（参数与乘加次数相同；未计时）。</translation>
    </message>
    <message>
        <source>No labelled head to break down by class</source>
        <translation>没有带标签的输出头可按类别细分</translation>
    </message>
    <message>
        <source>%1 % (%2 of %3)</source>
        <translation>%1 %（%3 中的 %2）</translation>
    </message>
    <message>
        <source>Accuracy (%)</source>
        <translation>精度 (%)</translation>
    </message>
    <message>
        <source>%1: accuracy per class</source>
        <translation>%1：各类别精度</translation>
    </message>
    <message>
        <source>Student + plan</source>
        <translation>学生 + 方案</translation>
    </message>
    <message>
        <source>The inputs changed: the figures shown are of the previous ones.</source>
        <translation>输入已更改：显示的数值来自之前的输入。</translation>
    </message>
</context>
<context>
    <name>nnc::EstimatePlot</name>
    <message>
        <source>samples evaluated</source>
        <translation>已评估样本数</translation>
    </message>
    <message>
        <source>compressed, %</source>
        <translation>压缩后，%</translation>
    </message>
    <message>
        <source>The estimate appears as batches are evaluated</source>
        <translation>随着各批评估完成，估计值会逐步显示</translation>
    </message>
</context>
<context>
    <name>nnc::FileRow</name>
    <message>
        <source>ONNX models (*.onnx);;All files (*)</source>
        <translation>ONNX 模型 (*.onnx);;所有文件 (*)ONNX 模型 (*.onnx);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Validation data (*.json *.npz *.npy);;All files (*)</source>
        <translation>验证数据 (*.json *.npz *.npy);;所有文件 (*)验证数据 (*.json *.npz *.npy);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Choose a Model</source>
        <translation>选择模型选择模型</translation>
    </message>
    <message>
        <source>Choose Validation Data</source>
        <translation>选择验证数据选择验证数据</translation>
    </message>
</context>
<context>
    <name>nnc::FusionPage</name>
    <message>
        <source>Model A:</source>
        <translation>模型 A：</translation>
    </message>
    <message>
        <source>Model B:</source>
        <translation>模型 B：</translation>
    </message>
    <message>
        <source>Data A:</source>
        <translation>数据 A：</translation>
    </message>
    <message>
        <source>Data B:</source>
        <translation>数据 B：</translation>
    </message>
    <message>
        <source>The first task model; its graph and output names are kept as they are in the fused model.</source>
        <translation>第一个任务模型；融合模型保留其计算图和输出名称不变。</translation>
    </message>
    <message>
        <source>The second task model; its head is attached to the shared backbone.</source>
        <translation>第二个任务模型；它的输出头接到共享主干上。</translation>
    </message>
    <message>
        <source>Validation data for model A&apos;s heads, used only by Preview sharing.</source>
        <translation>模型 A 输出头的验证数据，仅用于“预览共享”。</translation>
    </message>
    <message>
        <source>Validation data for model B&apos;s heads, used only by Preview sharing.</source>
        <translation>模型 B 输出头的验证数据，仅用于“预览共享”。</translation>
    </message>
    <message>
        <source>Choose model A.</source>
        <translation>选择模型 A。</translation>
    </message>
    <message>
        <source>Choose model B.</source>
        <translation>选择模型 B。</translation>
    </message>
    <message>
        <source>Choose model A&apos;s validation data.</source>
        <translation>选择模型 A 的验证数据。</translation>
    </message>
    <message>
        <source>Choose model B&apos;s validation data.</source>
        <translation>选择模型 B 的验证数据。</translation>
    </message>
    <message>
        <source>Backbone weights:</source>
        <translation>主干权重：</translation>
    </message>
    <message>
        <source>Model A&apos;s</source>
        <translation>取自模型 A</translation>
    </message>
    <message>
        <source>Model B&apos;s</source>
        <translation>取自模型 B</translation>
    </message>
    <message>
        <source>Mean of A and B</source>
        <translation>A 与 B 的均值</translation>
    </message>
    <message>
        <source>Where the one shared copy of the backbone takes its weights from: model A, model B, or their element-wise mean.</source>
        <translation>共享主干的权重来源：模型 A、模型 B，或两者逐元素的均值。</translation>
    </message>
    <message>
        <source>Analyze</source>
        <translation>分析</translation>
    </message>
    <message>
        <source>Find the common backbone, measure its weight distances and count what fusion saves (no data needed).</source>
        <translation>找出共同的主干，测量权重差异并统计融合能节省多少（无需数据）。</translation>
    </message>
    <message>
        <source>Preview Sharing</source>
        <translation>预览共享</translation>
    </message>
    <message>
        <source>Evaluate each head of the fused model on its own task&apos;s data against the separate model it replaces.</source>
        <translation>在各自任务的数据上评估融合模型的每个输出头，并与它所替代的独立模型比较。</translation>
    </message>
    <message>
        <source>Build Fused Model…</source>
        <translation>构建融合模型…</translation>
    </message>
    <message>
        <source>Build the fused model with the chosen backbone, check that it runs, and save it as an ONNX file.</source>
        <translation>用所选主干构建融合模型，检查其能否运行，并保存为 ONNX 文件。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop the running work; nothing is written.</source>
        <translation>停止正在进行的工作；不会写入任何文件。</translation>
    </message>
    <message>
        <source>Common backbone: matched weights, A against B</source>
        <translation>共同主干：匹配的权重，A 与 B 对比</translation>
    </message>
    <message>
        <source>Sharing preview: each head, separate against fused</source>
        <translation>共享预览：各输出头，独立与融合对比</translation>
    </message>
    <message>
        <source>What fusion saves</source>
        <translation>融合节省了什么</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>节点</translation>
    </message>
    <message>
        <source>The backbone node (in model A) that reads this weight.</source>
        <translation>读取该权重的主干节点（在模型 A 中）。</translation>
    </message>
    <message>
        <source>Op</source>
        <translation>算子</translation>
    </message>
    <message>
        <source>The ONNX operator of the node.</source>
        <translation>该节点的 ONNX 算子。</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>The weight (initializer) in model A; model B&apos;s name follows when it differs.</source>
        <translation>模型 A 中的权重（初始化器）；若模型 B 中名称不同，则附在后面。</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <source>The weight&apos;s dimensions.</source>
        <translation>权重的各维大小。</translation>
    </message>
    <message>
        <source>Relative L2</source>
        <translation>相对 L2</translation>
    </message>
    <message>
        <source>‖A − B‖ / ‖A‖: how far B&apos;s weight is from A&apos;s, relative to A&apos;s size; 0 means equal.</source>
        <translation>‖A − B‖ / ‖A‖：B 的权重与 A 的差距相对于 A 的大小；0 表示相同。</translation>
    </message>
    <message>
        <source>Cosine</source>
        <translation>余弦</translation>
    </message>
    <message>
        <source>A·B / (‖A‖ ‖B‖): 1 means the weights point the same way, 0 that they are unrelated.</source>
        <translation>A·B / (‖A‖ ‖B‖)：1 表示权重方向一致，0 表示互不相关。</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Which separate model the head comes from.</source>
        <translation>该输出头来自哪个独立模型。</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>The head&apos;s output name in the separate model.</source>
        <translation>该输出头在独立模型中的输出名称。</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>The quality measure of the head&apos;s task (accuracy, entity F1).</source>
        <translation>该输出头任务的质量指标（精度、实体 F1）。</translation>
    </message>
    <message>
        <source>Separate</source>
        <translation>独立</translation>
    </message>
    <message>
        <source>The metric of the separate model on its own data.</source>
        <translation>独立模型在其自身数据上的指标。</translation>
    </message>
    <message>
        <source>Fused</source>
        <translation>融合</translation>
    </message>
    <message>
        <source>The metric of the same head in the fused model on the same data.</source>
        <translation>融合模型中同一输出头在相同数据上的指标。</translation>
    </message>
    <message>
        <source>Δ pp</source>
        <translation>Δ 百分点</translation>
    </message>
    <message>
        <source>Fused minus separate, in percentage points; what retraining would have to recover.</source>
        <translation>融合减去独立，单位为百分点；即重新训练需要弥补的部分。</translation>
    </message>
    <message>
        <source>Agreement</source>
        <translation>一致率</translation>
    </message>
    <message>
        <source>Share of samples (or labelled tokens) where both models predict the same class.</source>
        <translation>两个模型预测出相同类别的样本（或有标签词元）所占比例。</translation>
    </message>
    <message>
        <source>A</source>
        <translation>A</translation>
    </message>
    <message>
        <source>Model A alone.</source>
        <translation>仅模型 A。</translation>
    </message>
    <message>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <source>Model B alone.</source>
        <translation>仅模型 B。</translation>
    </message>
    <message>
        <source>A + B</source>
        <translation>A + B</translation>
    </message>
    <message>
        <source>Both separate models together, as deployed without fusion.</source>
        <translation>两个独立模型合计，即不融合时的部署方式。</translation>
    </message>
    <message>
        <source>The fused model: one backbone, both heads.</source>
        <translation>融合模型：一个主干，两个输出头。</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>节省</translation>
    </message>
    <message>
        <source>A + B minus fused.</source>
        <translation>A + B 减去融合模型。</translation>
    </message>
    <message>
        <source>Saved %</source>
        <translation>节省 %</translation>
    </message>
    <message>
        <source>The saving as a share of A + B.</source>
        <translation>节省量占 A + B 的比例。</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>字节</translation>
    </message>
    <message>
        <source>MACs</source>
        <translation>乘加次数</translation>
    </message>
    <message>
        <source>Parameters: elements of the floating-point weights.</source>
        <translation>参数：浮点权重的元素个数。</translation>
    </message>
    <message>
        <source>Bytes: the stored size of every weight and constant tensor.</source>
        <translation>字节：所有权重和常量张量的存储大小。</translation>
    </message>
    <message>
        <source>MACs: multiply-accumulate operations of one inference, counted from the shapes.</source>
        <translation>乘加次数：一次推理的乘加运算次数，按张量形状计算。</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>Save Fused Model</source>
        <translation>保存融合模型</translation>
    </message>
    <message>
        <source>ONNX models (*.onnx)</source>
        <translation>ONNX 模型 (*.onnx)</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>Fusion</source>
        <translation>网络融合</translation>
    </message>
    <message>
        <source>Choose both models first.</source>
        <translation>请先选择两个模型。</translation>
    </message>
    <message>
        <source>Choose validation data for model A, model B or both to preview sharing.</source>
        <translation>请为模型 A、模型 B 或两者选择验证数据以预览共享效果。</translation>
    </message>
    <message>
        <source>Evaluating both heads…</source>
        <translation>正在评估两个输出头…</translation>
    </message>
    <message>
        <source>Building the fused model…</source>
        <translation>正在构建融合模型…</translation>
    </message>
    <message>
        <source>Matching the backbones…</source>
        <translation>正在匹配主干…</translation>
    </message>
    <message>
        <source>Build Fused Model</source>
        <translation>构建融合模型</translation>
    </message>
    <message numerus="yes">
        <source>Wrote %1 (%n node(s), checked to run).</source>
        <translation>
            <numerusform>已写入 %1（%n 个节点，已验证可运行）。</numerusform>
        </translation>
    </message>
    <message>
        <source>Preview done.</source>
        <translation>预览完成。</translation>
    </message>
    <message>
        <source>Analysis done.</source>
        <translation>分析完成。</translation>
    </message>
    <message>
        <source>Pick two models that start with the same layers (for example an intent model and a slot model trained from one recipe) and press Analyze.</source>
        <translation>选择两个开头层相同的模型（例如用同一方法训练的意图模型和槽位模型），然后点击“分析”。</translation>
    </message>
    <message>
        <source>No analysis yet</source>
        <translation>尚未分析</translation>
    </message>
    <message>
        <source>Common backbone: %1 nodes (%2 besides constants) of A&apos;s %3 and B&apos;s %4; the fused model has %5 nodes. A&apos;s heads read %6; B&apos;s heads read %7. MACs are counted for one input of batch %8, sequence length %9.</source>
        <translation>共同主干：%1 个节点（不含常量为 %2 个），A 共 %3 个，B 共 %4 个；融合模型有 %5 个节点。A 的输出头读取 %6；B 的输出头读取 %7。乘加次数按批大小 %8、序列长度 %9 的一个输入计算。</translation>
    </message>
    <message>
        <source>B&apos;s output %1 is called %2 in the fused model.</source>
        <translation>B 的输出 %1 在融合模型中名为 %2。</translation>
    </message>
    <message>
        <source>0 (identical)</source>
        <translation>0（相同）</translation>
    </message>
    <message numerus="yes">
        <source>%n sample(s)</source>
        <translation>
            <numerusform>%n 个样本</numerusform>
        </translation>
    </message>
    <message>
        <source>Share of A + B (%)</source>
        <translation>占 A + B 的比例 (%)</translation>
    </message>
    <message>
        <source>Separate against fused</source>
        <translation>独立与融合对比</translation>
    </message>
    <message>
        <source>The inputs changed: the figures shown are of the previous ones.</source>
        <translation>输入已更改：显示的数值来自之前的输入。</translation>
    </message>
</context>
<context>
    <name>nnc::GroupedBarPlot</name>
    <message>
        <source>%1, %2: %3</source>
        <translation>%1，%2：%3</translation>
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
    <message>
        <source>rmin = %1: drag to change the quantization range (a range set by hand is one range for the whole tensor).</source>
        <translation>rmin = %1：拖动以改变量化范围（手动设定的范围对整个张量只有一个）。</translation>
    </message>
    <message>
        <source>rmax = %1: drag to change the quantization range (a range set by hand is one range for the whole tensor).</source>
        <translation>rmax = %1：拖动以改变量化范围（手动设定的范围对整个张量只有一个）。</translation>
    </message>
</context>
<context>
    <name>nnc::LayerSettingsPanel</name>
    <message>
        <source>Set pruning ratio to %1 %</source>
        <translation>将剪枝比例设为 %1 %</translation>
    </message>
    <message>
        <source>Set pruning structure to %1</source>
        <translation>将剪枝结构设为 %1</translation>
    </message>
    <message>
        <source>Set N:M pruning to %1:%2</source>
        <translation>将 N:M 剪枝设为 %1:%2</translation>
    </message>
    <message>
        <source>Reset model-wide defaults</source>
        <translation>重置全模型默认值</translation>
    </message>
    <message>
        <source>Reset %1</source>
        <translation>重置 %1</translation>
    </message>
    <message numerus="yes">
        <source>Reset %n layer(s)</source>
        <translation>
            <numerusform>重置 %n 层</numerusform>
        </translation>
    </message>
    <message>
        <source>Quantize weights</source>
        <translation>量化权重</translation>
    </message>
    <message>
        <source>Quantize activations</source>
        <translation>量化激活</translation>
    </message>
    <message>
        <source>Keep weights in float</source>
        <translation>权重保持浮点</translation>
    </message>
    <message>
        <source>Keep activations in float</source>
        <translation>激活保持浮点</translation>
    </message>
    <message>
        <source>Set weight bits to %1</source>
        <translation>将权重位数设为 %1</translation>
    </message>
    <message>
        <source>Set activation bits to %1</source>
        <translation>将激活位数设为 %1</translation>
    </message>
    <message>
        <source>Set scheme to %1</source>
        <translation>将量化方式设为 %1</translation>
    </message>
    <message>
        <source>Set integer range to %1</source>
        <translation>将整数范围设为 %1</translation>
    </message>
    <message>
        <source>Set granularity to %1</source>
        <translation>将粒度设为 %1</translation>
    </message>
    <message>
        <source>Set calibration to %1</source>
        <translation>将校准方法设为 %1</translation>
    </message>
    <message>
        <source>Set a manual range</source>
        <translation>设定手动范围</translation>
    </message>
    <message>
        <source>Use the calibrated range</source>
        <translation>使用校准范围</translation>
    </message>
    <message>
        <source>Set range to [%1, %2]</source>
        <translation>将范围设为 [%1, %2]</translation>
    </message>
    <message>
        <source>Selected layers</source>
        <translation>所选层</translation>
    </message>
    <message>
        <source>Model-wide defaults</source>
        <translation>全模型默认值</translation>
    </message>
    <message>
        <source>Edit the selected layers, or the defaults every layer without its own setting follows.</source>
        <translation>编辑所选层，或编辑所有未单独设置的层所遵循的默认值。</translation>
    </message>
    <message>
        <source>Quantize input activations</source>
        <translation>量化输入激活</translation>
    </message>
    <message>
        <source>Weight quantization: store each weight as a small integer times a scale.</source>
        <translation>权重量化：将每个权重存储为一个小整数乘以缩放因子。</translation>
    </message>
    <message>
        <source>Activation quantization: round the layer&apos;s input tensor to integers at run time.</source>
        <translation>激活量化：在运行时将该层的输入张量舍入为整数。</translation>
    </message>
    <message>
        <source>Bits:</source>
        <translation>位数：</translation>
    </message>
    <message>
        <source>Bit width: how many bits each integer has (2 to 16); fewer bits mean a smaller model and more error.</source>
        <translation>位宽：每个整数的位数（2 到 16）；位数越少，模型越小，误差越大。</translation>
    </message>
    <message>
        <source>Scheme:</source>
        <translation>量化方式：</translation>
    </message>
    <message>
        <source>Symmetric</source>
        <translation>对称</translation>
    </message>
    <message>
        <source>Asymmetric</source>
        <translation>非对称</translation>
    </message>
    <message>
        <source>Symmetric: the zero point is 0 and the range is centred on 0; asymmetric: a zero point shifts the range to fit the data.</source>
        <translation>对称：零点为 0，范围以 0 为中心；非对称：用零点平移范围以贴合数据。</translation>
    </message>
    <message>
        <source>Integers:</source>
        <translation>整数：</translation>
    </message>
    <message>
        <source>Signed</source>
        <translation>有符号</translation>
    </message>
    <message>
        <source>Unsigned</source>
        <translation>无符号</translation>
    </message>
    <message>
        <source>Signed, restricted</source>
        <translation>有符号（受限）</translation>
    </message>
    <message>
        <source>Integer range: signed (-128..127 for 8 bits), unsigned (0..255) or restricted signed (-127..127, symmetric around 0).</source>
        <translation>整数范围：有符号（8 位时为 -128..127）、无符号（0..255）或受限有符号（-127..127，关于 0 对称）。</translation>
    </message>
    <message>
        <source>Granularity:</source>
        <translation>粒度：</translation>
    </message>
    <message>
        <source>Per tensor</source>
        <translation>逐张量</translation>
    </message>
    <message>
        <source>Per channel</source>
        <translation>逐通道</translation>
    </message>
    <message>
        <source>Granularity: one scale for the whole tensor, or one per output channel (a manual range is always per tensor).</source>
        <translation>粒度：整个张量共用一个缩放因子，或每个输出通道一个（手动范围总是逐张量）。</translation>
    </message>
    <message>
        <source>Calibration:</source>
        <translation>校准：</translation>
    </message>
    <message>
        <source>Min/max</source>
        <translation>最小/最大值</translation>
    </message>
    <message>
        <source>Percentile</source>
        <translation>百分位</translation>
    </message>
    <message>
        <source>Entropy (KL)</source>
        <translation>熵 (KL)</translation>
    </message>
    <message>
        <source>MSE</source>
        <translation>MSE</translation>
    </message>
    <message>
        <source>Calibration: how the range [rmin, rmax] is chosen from the values when you do not set it by hand.</source>
        <translation>校准：未手动设定时，如何根据数值选择范围 [rmin, rmax]。</translation>
    </message>
    <message>
        <source>Manual range</source>
        <translation>手动范围</translation>
    </message>
    <message>
        <source>Manual range: use the rmin and rmax below (or drag the lines on the histogram) instead of calibrating.</source>
        <translation>手动范围：使用下面的 rmin 和 rmax（或拖动直方图上的竖线），而不是校准。</translation>
    </message>
    <message>
        <source>rmin:</source>
        <translation>rmin：</translation>
    </message>
    <message>
        <source>rmin: the smallest real value the integers can represent; smaller values are clipped to it.</source>
        <translation>rmin：整数能表示的最小实数值；更小的值会被截断为它。</translation>
    </message>
    <message>
        <source>rmax:</source>
        <translation>rmax：</translation>
    </message>
    <message>
        <source>rmax: the largest real value the integers can represent; larger values are clipped to it.</source>
        <translation>rmax：整数能表示的最大实数值；更大的值会被截断为它。</translation>
    </message>
    <message>
        <source>Pruning</source>
        <translation>剪枝</translation>
    </message>
    <message>
        <source>Pruning: set the smallest weights to zero so they need not be stored.</source>
        <translation>剪枝：将最小的权重置零，这样就无需存储它们。</translation>
    </message>
    <message>
        <source>Ratio:</source>
        <translation>比例：</translation>
    </message>
    <message>
        <source>Pruning ratio: the share of weights (or channels) set to zero, smallest magnitudes first.</source>
        <translation>剪枝比例：置零的权重（或通道）所占比例，从绝对值最小的开始。</translation>
    </message>
    <message>
        <source>Structure:</source>
        <translation>结构：</translation>
    </message>
    <message>
        <source>Unstructured</source>
        <translation>非结构化</translation>
    </message>
    <message>
        <source>Output channels</source>
        <translation>输出通道</translation>
    </message>
    <message>
        <source>N:M</source>
        <translation>N:M</translation>
    </message>
    <message>
        <source>Structure: single weights anywhere, whole output channels, or N of every M consecutive weights (N:M, for sparse hardware).</source>
        <translation>结构：任意位置的单个权重、整个输出通道，或每 M 个连续权重中的 N 个（N:M，适用于稀疏硬件）。</translation>
    </message>
    <message>
        <source>N:M:</source>
        <translation>N:M：</translation>
    </message>
    <message>
        <source>N: how many weights of every group of M are kept.</source>
        <translation>N：每组 M 个权重中保留的个数。</translation>
    </message>
    <message>
        <source>M: the size of each group of consecutive weights.</source>
        <translation>M：每组连续权重的个数。</translation>
    </message>
    <message>
        <source>Defaults: %1</source>
        <translation>默认值：%1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message numerus="yes">
        <source>%n layer(s): %1</source>
        <translation>
            <numerusform>%n 层：%1</numerusform>
        </translation>
    </message>
    <message>
        <source>Every layer without its own setting</source>
        <translation>所有未单独设置的层</translation>
    </message>
    <message>
        <source>Select a layer to edit its compression.</source>
        <translation>选择一层以编辑其压缩设置。</translation>
    </message>
    <message numerus="yes">
        <source>%1 and %n more layer(s)</source>
        <translation>
            <numerusform>%1 及另外 %n 层</numerusform>
        </translation>
    </message>
    <message>
        <source>Reset defaults</source>
        <translation>重置默认值</translation>
    </message>
    <message>
        <source>Reset layer</source>
        <translation>重置该层</translation>
    </message>
    <message>
        <source>Restore the model-wide defaults of a new plan.</source>
        <translation>恢复新方案的全模型默认值。</translation>
    </message>
    <message>
        <source>Remove the selected layers&apos; own settings so they follow the model-wide defaults again.</source>
        <translation>删除所选层的单独设置，使其重新遵循全模型默认值。</translation>
    </message>
    <message>
        <source>%1 (its weight is stored as integers and is left as it is)</source>
        <translation>%1（其权重已按整数存储，保持不变）</translation>
    </message>
    <message>
        <source>calibrated</source>
        <translation>由校准确定</translation>
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
    <message>
        <source>exact</source>
        <translation>无误差</translation>
    </message>
    <message>
        <source>float</source>
        <translation>浮点</translation>
    </message>
    <message>
        <source> (ch)</source>
        <translation>（通道）</translation>
    </message>
    <message>
        <source>Weight bits: the integer width each weight is stored in (&quot;float&quot;: not quantized).</source>
        <translation>权重位数：每个权重存储所用的整数位宽（“浮点”：未量化）。</translation>
    </message>
    <message>
        <source>Activation bits: the integer width of the layer&apos;s input tensor at run time.</source>
        <translation>激活位数：运行时该层输入张量的整数位宽。</translation>
    </message>
    <message>
        <source>Pruning ratio: the share of weights (or output channels) set to zero.</source>
        <translation>剪枝比例：置零的权重（或输出通道）所占比例。</translation>
    </message>
    <message>
        <source>Sparsity: the share of the compressed weight that is zero, from the latest preview.</source>
        <translation>稀疏度：压缩后权重中零值所占比例，来自最近一次预览。</translation>
    </message>
    <message>
        <source>Weight SQNR: signal-to-noise ratio of the compressed weight against the float one, in dB (higher is better; red marks the worst).</source>
        <translation>权重 SQNR：压缩后权重相对浮点权重的信噪比，单位 dB（越高越好；红色标出最差的）。</translation>
    </message>
    <message>
        <source>Output SQNR: signal-to-noise ratio of the layer&apos;s output under the plan against the float model&apos;s, in dB (red marks the worst).</source>
        <translation>输出 SQNR：按方案压缩后该层输出相对浮点模型输出的信噪比，单位 dB（红色标出最差的）。</translation>
    </message>
    <message>
        <source>Sensitivity: the accuracy change in percentage points when only this layer is compressed (run a sensitivity analysis).</source>
        <translation>敏感度：只压缩这一层时精度的变化，单位为百分点（请运行敏感度分析）。</translation>
    </message>
    <message>
        <source>Sensitivity: the accuracy change in percentage points when only this layer is compressed with %1.</source>
        <translation>敏感度：只对这一层使用 %1 压缩时精度的变化，单位为百分点。</translation>
    </message>
    <message>
        <source>Compressed size: the estimated storage of the layer&apos;s weight under the plan.</source>
        <translation>压缩后大小：按方案估算的该层权重存储大小。</translation>
    </message>
    <message>
        <source>W bits</source>
        <translation>权重位数</translation>
    </message>
    <message>
        <source>A bits</source>
        <translation>激活位数</translation>
    </message>
    <message>
        <source>Pruned</source>
        <translation>剪枝</translation>
    </message>
    <message>
        <source>Sparsity</source>
        <translation>稀疏度</translation>
    </message>
    <message>
        <source>W SQNR</source>
        <translation>权重 SQNR</translation>
    </message>
    <message>
        <source>Out SQNR</source>
        <translation>输出 SQNR</translation>
    </message>
    <message>
        <source>Δ acc (pp)</source>
        <translation>Δ 精度（百分点）</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
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
    <name>nnc::PreviewPanel</name>
    <message>
        <source>The validation data could not be opened: %1</source>
        <translation>无法打开验证数据：%1</translation>
    </message>
    <message>
        <source>Open a model and its validation data to preview the accuracy.</source>
        <translation>打开模型及其验证数据以预览精度。</translation>
    </message>
    <message>
        <source>Auto-preview</source>
        <translation>自动预览</translation>
    </message>
    <message>
        <source>Re-evaluate the model automatically a moment after each change to the plan.</source>
        <translation>每次修改方案后稍等片刻自动重新评估模型。</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Evaluate the float and the compressed model on the validation data now.</source>
        <translation>立即在验证数据上评估浮点模型和压缩模型。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop the running evaluation; the figures shown stay as they were.</source>
        <translation>停止正在进行的评估；显示的数值保持不变。</translation>
    </message>
    <message>
        <source>How much of the evaluation (calibration, float baseline, compressed model) is done.</source>
        <translation>评估（校准、浮点基线、压缩模型）已完成多少。</translation>
    </message>
    <message>
        <source>Accuracy per output</source>
        <translation>各输出的精度</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Float</source>
        <translation>浮点</translation>
    </message>
    <message>
        <source>Compressed</source>
        <translation>压缩后</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变化</translation>
    </message>
    <message>
        <source>Agreement</source>
        <translation>一致率</translation>
    </message>
    <message>
        <source>The model output (head) being scored.</source>
        <translation>被评分的模型输出（输出头）。</translation>
    </message>
    <message>
        <source>How the output is scored against the labels of the validation data.</source>
        <translation>根据验证数据的标签对该输出评分的方式。</translation>
    </message>
    <message>
        <source>The score of the original float model on the same samples.</source>
        <translation>原始浮点模型在相同样本上的得分。</translation>
    </message>
    <message>
        <source>The score of the model under the compression plan.</source>
        <translation>按压缩方案压缩后模型的得分。</translation>
    </message>
    <message>
        <source>Compressed minus float score, in percentage points (pp).</source>
        <translation>压缩后得分减去浮点得分，单位为百分点。</translation>
    </message>
    <message>
        <source>Share of predictions (arg-max) where the compressed model agrees with the float model.</source>
        <translation>压缩模型与浮点模型预测（arg-max）一致的比例。</translation>
    </message>
    <message>
        <source>Signal-to-quantization-noise ratio of the output: how far the compressed model&apos;s raw outputs are from the float ones, in decibels (higher is closer).</source>
        <translation>输出的信号量化噪声比：压缩模型的原始输出与浮点输出的差距，单位为分贝（越高越接近）。</translation>
    </message>
    <message>
        <source>Storage of the weights: float32 before, and after quantization and pruning under the plan.</source>
        <translation>权重存储大小：压缩前为 float32，压缩后为按方案量化和剪枝后的大小。</translation>
    </message>
    <message>
        <source>Node executions this evaluation ran, against a full evaluation: cached activations upstream of an edit are reused.</source>
        <translation>本次评估执行的节点次数与完整评估的对比：修改处上游缓存的激活会被复用。</translation>
    </message>
    <message>
        <source>The compressed score over the samples evaluated so far, with its 95 % confidence interval.</source>
        <translation>到目前为止已评估样本上的压缩后得分及其 95 % 置信区间。</translation>
    </message>
    <message>
        <source>Changed predictions</source>
        <translation>改变的预测</translation>
    </message>
    <message>
        <source>Samples the compressed model predicts differently from the float model; select one to see it.</source>
        <translation>压缩模型与浮点模型预测不同的样本；选择一个即可查看。</translation>
    </message>
    <message>
        <source>The output whose changed predictions are listed.</source>
        <translation>列出其改变的预测的输出。</translation>
    </message>
    <message>
        <source>Waiting for the first batch…</source>
        <translation>正在等待第一批…</translation>
    </message>
    <message>
        <source>Evaluating…</source>
        <translation>正在评估…</translation>
    </message>
    <message>
        <source>The plan changed: updating…</source>
        <translation>方案已更改：正在更新…</translation>
    </message>
    <message>
        <source>The plan changed: press Run to update the figures.</source>
        <translation>方案已更改：点击“运行”更新数值。</translation>
    </message>
    <message>
        <source>The estimate appears as batches are evaluated</source>
        <translation>随着各批评估完成，估计值会逐步显示</translation>
    </message>
    <message>
        <source>Validation data opened: evaluating…</source>
        <translation>已打开验证数据：正在评估…</translation>
    </message>
    <message>
        <source>Validation data opened: press Run to evaluate.</source>
        <translation>已打开验证数据：点击“运行”进行评估。</translation>
    </message>
    <message>
        <source>The plan changed meanwhile: updating…</source>
        <translation>方案在此期间已更改：正在更新…</translation>
    </message>
    <message numerus="yes">
        <source>Evaluated %n sample(s) in %1 s.</source>
        <translation>
            <numerusform>用 %1 秒评估了 %n 个样本。</numerusform>
        </translation>
    </message>
    <message>
        <source>The preview failed: %1</source>
        <translation>预览失败：%1</translation>
    </message>
    <message>
        <source>Preview cancelled: the figures shown are from the previous run.</source>
        <translation>预览已取消：显示的数值来自上一次运行。</translation>
    </message>
    <message>
        <source>Preview cancelled.</source>
        <translation>预览已取消。</translation>
    </message>
    <message>
        <source>Model size: —</source>
        <translation>模型大小：—</translation>
    </message>
    <message>
        <source>No labels for this output: only agreement is measured.</source>
        <translation>该输出没有标签：只测量一致率。</translation>
    </message>
    <message>
        <source>Model size: float %1 → compressed %2, %3× smaller</source>
        <translation>模型大小：浮点 %1 → 压缩后 %2，缩小为 1/%3</translation>
    </message>
    <message>
        <source>Recomputed %1 of %2 node runs (%3 %) in %4 s</source>
        <translation>用 %4 秒重新计算了 %2 次节点运行中的 %1 次（%3 %）</translation>
    </message>
    <message numerus="yes">
        <source>; %n activation range(s) calibrated</source>
        <translation>
            <numerusform>；校准了 %n 个激活范围</numerusform>
        </translation>
    </message>
    <message>
        <source>Sample %1</source>
        <translation>样本 %1</translation>
    </message>
    <message>
        <source>Changed predictions (%1)</source>
        <translation>改变的预测（%1）</translation>
    </message>
    <message>
        <source>No prediction changed.</source>
        <translation>没有预测发生改变。</translation>
    </message>
    <message>
        <source>Select a changed prediction to see its sample.</source>
        <translation>选择一个改变的预测以查看其样本。</translation>
    </message>
    <message>
        <source>Reading sample %1…</source>
        <translation>正在读取样本 %1…</translation>
    </message>
    <message>
        <source>SQNR</source>
        <translation>SQNR</translation>
    </message>
    <message>
        <source>%1: %2 (95 % interval %3–%4), %5 of %6 samples</source>
        <translation>%1：%2（95 % 区间 %3–%4），%6 个样本中的 %5 个</translation>
    </message>
    <message>
        <source>Changed predictions (%1, the first %2 listed)</source>
        <translation>改变的预测（%1 个，列出前 %2 个）</translation>
    </message>
    <message>
        <source>Remove budgets of missing outputs</source>
        <translation>移除不存在的输出的预算</translation>
    </message>
    <message>
        <source>Budget</source>
        <translation>预算</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>判定</translation>
    </message>
    <message>
        <source>The largest drop the plan may cost this head, in pp: its own budget, or the default for every head (shown as &quot;default&quot;). Double-click to edit; right-click for more.</source>
        <translation>方案允许该输出头损失的最大幅度（百分点）：它自己的预算，或所有输出头的默认预算（显示为“默认”）。双击编辑；右键查看更多操作。</translation>
    </message>
    <message>
        <source>Whether the head&apos;s drop stays within its budget, judged as `nncompress eval --budget` judges it.</source>
        <translation>该输出头的下降是否在预算之内，判定方式与 `nncompress eval --budget` 相同。</translation>
    </message>
    <message>
        <source>Budget for every head:</source>
        <translation>所有输出头的预算：</translation>
    </message>
    <message>
        <source>The largest accuracy drop, in percentage points, that the plan may cost each output head without a budget of its own. Saved with the project.</source>
        <translation>对没有单独预算的每个输出头，方案允许的最大精度下降（百分点）。随项目一起保存。</translation>
    </message>
    <message>
        <source> pp</source>
        <translation> 百分点</translation>
    </message>
    <message>
        <source>Give a head its own budget by double-clicking its Budget cell.</source>
        <translation>双击某个输出头的“预算”单元格，可为它单独设置预算。</translation>
    </message>
    <message>
        <source>%1 pp</source>
        <translation>%1 百分点</translation>
    </message>
    <message>
        <source>%1 may lose at most %2 pp. Double-click to change it; right-click to use the default instead.</source>
        <translation>%1 最多允许下降 %2 个百分点。双击修改；右键可改用默认预算。</translation>
    </message>
    <message>
        <source>%1 pp (default)</source>
        <translation>%1 百分点（默认）</translation>
    </message>
    <message>
        <source>The default budget for every head applies. Double-click to give %1 a budget of its own.</source>
        <translation>适用所有输出头的默认预算。双击可为 %1 单独设置预算。</translation>
    </message>
    <message>
        <source>No budget. Double-click to give %1 one, or set a budget for every head above the table.</source>
        <translation>没有预算。双击为 %1 设置预算，或在表格上方为所有输出头设置预算。</translation>
    </message>
    <message>
        <source>%1: within budget</source>
        <translation>%1：符合预算</translation>
    </message>
    <message>
        <source>%1: over budget</source>
        <translation>%1：超出预算</translation>
    </message>
    <message>
        <source>no budget</source>
        <translation>无预算</translation>
    </message>
    <message>
        <source>Set a budget to judge this head.</source>
        <translation>设置预算后才能判定该输出头。</translation>
    </message>
    <message>
        <source>within budget (%1 of %2 pp)</source>
        <translation>符合预算（%1 / %2 个百分点）</translation>
    </message>
    <message>
        <source>%1 loses %2 pp of %3; its budget allows %4 pp.</source>
        <translation>%1 的%3下降了 %2 个百分点；其预算允许 %4 个百分点。</translation>
    </message>
    <message>
        <source>%1 loses no %2 (change %3 pp); its budget allows %4 pp.</source>
        <translation>%1 的%2没有下降（变化 %3 个百分点）；其预算允许 %4 个百分点。</translation>
    </message>
    <message>
        <source>over budget by %1 pp</source>
        <translation>超出预算 %1 个百分点</translation>
    </message>
    <message>
        <source>%1 loses %2 pp of %3, more than its budget of %4 pp.</source>
        <translation>%1 的%3下降了 %2 个百分点，超过其 %4 个百分点的预算。</translation>
    </message>
    <message>
        <source>Heads within budget: %1 of %2.</source>
        <translation>符合预算的输出头：%1 / %2。</translation>
    </message>
    <message>
        <source>Heads over budget: %1 of %2.</source>
        <translation>超出预算的输出头：%1 / %2。</translation>
    </message>
    <message>
        <source>(judged on the figures shown, which are being updated)</source>
        <translation>（按当前显示的数值判定，数值正在更新）</translation>
    </message>
    <message>
        <source>No accuracy budgets: set one for every head above, or double-click a head&apos;s Budget cell.</source>
        <translation>没有精度预算：可在上方为所有输出头设置，或双击某个输出头的“预算”单元格。</translation>
    </message>
    <message>
        <source>Budgets ignored: this model has no output named %1.</source>
        <translation>已忽略预算：该模型没有名为 %1 的输出。</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>%1: within budget (drop %2 of %3 pp)</source>
        <translation>%1：符合预算（下降 %2 / %3 个百分点）</translation>
    </message>
    <message>
        <source>%1: over budget (drop %2 of %3 pp)</source>
        <translation>%1：超出预算（下降 %2 / %3 个百分点）</translation>
    </message>
    <message>
        <source>Within budget</source>
        <translation>符合预算</translation>
    </message>
    <message>
        <source>Over budget: %1</source>
        <translation>超出预算：%1</translation>
    </message>
    <message>
        <source>(updating)</source>
        <translation>（更新中）</translation>
    </message>
    <message>
        <source>Set the budget of %1…</source>
        <translation>设置 %1 的预算…</translation>
    </message>
    <message>
        <source>Use the default budget for %1</source>
        <translation>%1 改用默认预算</translation>
    </message>
    <message>
        <source>Make %1&apos;s budget the default for every head</source>
        <translation>将 %1 的预算设为所有输出头的默认预算</translation>
    </message>
</context>
<context>
    <name>nnc::SampleView</name>
    <message>
        <source>Select a changed prediction to see its sample.</source>
        <translation>选择一个改变的预测以查看其样本。</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>The correct answer stored with the validation data.</source>
        <translation>验证数据中保存的正确答案。</translation>
    </message>
    <message>
        <source>What the original float model predicts, with its softmax probability.</source>
        <translation>原始浮点模型的预测及其 softmax 概率。</translation>
    </message>
    <message>
        <source>What the model predicts under the compression plan; red where it differs.</source>
        <translation>按压缩方案压缩后模型的预测；不同之处标为红色。</translation>
    </message>
    <message>
        <source>Sample %1 of the validation set</source>
        <translation>验证集中的样本 %1</translation>
    </message>
    <message>
        <source>The compressed model&apos;s prediction differs from the float one.</source>
        <translation>压缩模型的预测与浮点模型不同。</translation>
    </message>
    <message>
        <source>Float</source>
        <translation>浮点</translation>
    </message>
    <message>
        <source>Compressed</source>
        <translation>压缩后</translation>
    </message>
</context>
<context>
    <name>nnc::SensitivityBarPlot</name>
    <message>
        <source>%1: %2 percentage points (click to select the layer)</source>
        <translation>%1：%2 个百分点（点击以选择该层）</translation>
    </message>
    <message>
        <source>Accuracy change (percentage points)</source>
        <translation>精度变化（百分点）</translation>
    </message>
    <message>
        <source>%1: %2 percentage points, more than the head&apos;s budget of %3 pp on its own (click to select the layer)</source>
        <translation>%1：%2 个百分点，仅此一层就超过该输出头 %3 个百分点的预算（单击选中该层）</translation>
    </message>
    <message>
        <source>budget −%1 pp · layers beyond it alone: %2</source>
        <translation>预算 −%1 个百分点 · 单层即超出的层：%2</translation>
    </message>
    <message>
        <source>budget −%1 pp · no layer beyond it alone</source>
        <translation>预算 −%1 个百分点 · 没有单层即超出的层</translation>
    </message>
</context>
<context>
    <name>nnc::SensitivityGridPlot</name>
    <message>
        <source>%1 at %2 bits: %3 percentage points</source>
        <translation>%1 在 %2 位时：%3 个百分点</translation>
    </message>
    <message>
        <source>Accuracy change (pp)</source>
        <translation>精度变化（百分点）</translation>
    </message>
    <message>
        <source>Weight bits</source>
        <translation>权重位数</translation>
    </message>
</context>
<context>
    <name>nnc::SensitivityView</name>
    <message>
        <source>Choose a setting and press Run</source>
        <translation>选择设置后点击“运行”</translation>
    </message>
    <message>
        <source>&amp;Weight bits:</source>
        <translation>权重位数(&amp;W)：</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Weight bits: each layer&apos;s weights alone are quantized to this many bits while the rest of the model stays float.</source>
        <translation>权重位数：每次只把一层的权重量化到此位数，模型其余部分保持浮点。</translation>
    </message>
    <message>
        <source>&amp;Pruning:</source>
        <translation>剪枝(&amp;P)：</translation>
    </message>
    <message>
        <source>Pruning ratio: the share of each layer&apos;s weights set to zero, the smallest magnitudes first.</source>
        <translation>剪枝比例：每层权重中置零的比例，从绝对值最小的开始。</translation>
    </message>
    <message>
        <source>&amp;Activation bits:</source>
        <translation>激活位数(&amp;A)：</translation>
    </message>
    <message>
        <source>Activation bits: also quantize the layer&apos;s input activations to this many bits.</source>
        <translation>激活位数：同时把该层的输入激活量化到此位数。</translation>
    </message>
    <message>
        <source>Bit-width &amp;grid</source>
        <translation>位宽网格(&amp;G)</translation>
    </message>
    <message>
        <source>Bit-width grid: also try every layer at 2, 3, 4, 6 and 8 weight bits (with the chosen pruning and activation bits).</source>
        <translation>位宽网格：同时对每一层尝试 2、3、4、6 和 8 位权重（使用所选的剪枝比例和激活位数）。</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>Sensitivity: compress one layer at a time and measure how much accuracy the model loses.</source>
        <translation>敏感度：每次只压缩一层，测量模型损失了多少精度。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>&amp;Output:</source>
        <translation>输出(&amp;O)：</translation>
    </message>
    <message>
        <source>Output head: the model output whose accuracy change is shown.</source>
        <translation>输出头：显示其精度变化的模型输出。</translation>
    </message>
    <message>
        <source>Open validation data to run a sensitivity analysis</source>
        <translation>打开验证数据以运行敏感度分析</translation>
    </message>
    <message>
        <source>Bit-width grid is off</source>
        <translation>位宽网格已关闭</translation>
    </message>
    <message>
        <source>Open validation data to run a sensitivity analysis.</source>
        <translation>打开验证数据以运行敏感度分析。</translation>
    </message>
    <message>
        <source>Each layer is compressed alone; the rest of the model stays float.</source>
        <translation>每次单独压缩一层；模型其余部分保持浮点。</translation>
    </message>
    <message>
        <source>Running: %1</source>
        <translation>正在运行：%1</translation>
    </message>
    <message>
        <source>%1: %2 layers in %3 s. Click a bar or a cell to select its layer.</source>
        <translation>%1：%2 层，用时 %3 秒。点击柱形或单元格即可选中对应的层。</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>Sensitivity analysis failed: %1</source>
        <translation>敏感度分析失败：%1</translation>
    </message>
    <message>
        <source>Choose weight bits or a pruning ratio first.</source>
        <translation>请先选择权重位数或剪枝比例。</translation>
    </message>
    <message>
        <source>choose weight bits or a pruning ratio.</source>
        <translation>请选择权重位数或剪枝比例。</translation>
    </message>
    <message>
        <source>%1-bit weights</source>
        <translation>%1 位权重</translation>
    </message>
    <message>
        <source>%1 % pruned</source>
        <translation>剪枝 %1 %</translation>
    </message>
    <message>
        <source>%1-bit activations</source>
        <translation>%1 位激活</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>By weight bits — %1</source>
        <translation>按权重位数 — %1</translation>
    </message>
    <message>
        <source>By weight bits</source>
        <translation>按权重位数</translation>
    </message>
</context>
<context>
    <name>nnc::SummaryView</name>
    <message>
        <source>Open validation data to preview accuracy</source>
        <translation>打开验证数据以预览精度</translation>
    </message>
    <message>
        <source>This page then shows model size and accuracy before and after compression.</source>
        <translation>之后本页会显示压缩前后的模型大小和精度。</translation>
    </message>
    <message>
        <source>Measuring accuracy…</source>
        <translation>正在测量精度…</translation>
    </message>
    <message>
        <source>Run the accuracy preview to see the figures</source>
        <translation>运行精度预览以查看数值</translation>
    </message>
    <message>
        <source>The figures update after each accuracy preview.</source>
        <translation>每次精度预览后数值都会更新。</translation>
    </message>
    <message>
        <source>Compression summary</source>
        <translation>压缩摘要</translation>
    </message>
    <message>
        <source>Compression summary: %1</source>
        <translation>压缩摘要：%1</translation>
    </message>
    <message>
        <source>Measured on %1 validation samples (updating…)</source>
        <translation>在 %1 个验证样本上测得（正在更新…）</translation>
    </message>
    <message>
        <source>Measured on %1 validation samples</source>
        <translation>在 %1 个验证样本上测得</translation>
    </message>
    <message>
        <source>Model size</source>
        <translation>模型大小</translation>
    </message>
    <message>
        <source>Model size: storage of all parameters, float as stored versus compressed under the plan.</source>
        <translation>模型大小：所有参数的存储大小，原始浮点与按方案压缩后对比。</translation>
    </message>
    <message>
        <source>Float</source>
        <translation>浮点</translation>
    </message>
    <message>
        <source>Compressed</source>
        <translation>压缩后</translation>
    </message>
    <message>
        <source>%1 smaller (%2 saved)</source>
        <translation>缩小 %1（节省 %2）</translation>
    </message>
    <message>
        <source>Compression ratio</source>
        <translation>压缩比</translation>
    </message>
    <message>
        <source>Compression ratio: float model size divided by compressed size.</source>
        <translation>压缩比：浮点模型大小除以压缩后大小。</translation>
    </message>
    <message>
        <source>smaller than the float model</source>
        <translation>比浮点模型小</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>精度</translation>
    </message>
    <message>
        <source>Top-5 accuracy</source>
        <translation>前 5 精度</translation>
    </message>
    <message>
        <source>Token accuracy</source>
        <translation>词元精度</translation>
    </message>
    <message>
        <source>Entity F1</source>
        <translation>实体 F1</translation>
    </message>
    <message>
        <source>Agreement with float</source>
        <translation>与浮点模型的一致率</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>%1 of output %2 on the validation samples.</source>
        <translation>输出 %2 在验证样本上的%1。</translation>
    </message>
    <message>
        <source>%1%2 percentage points</source>
        <translation>%1%2 个百分点</translation>
    </message>
    <message>
        <source>Percentage points: the difference between the two percentages.</source>
        <translation>百分点：两个百分比之差。</translation>
    </message>
    <message>
        <source>%1 percentage points</source>
        <translation>%1 个百分点</translation>
    </message>
    <message>
        <source>%1 saved (%2)</source>
        <translation>节省 %1（%2）</translation>
    </message>
    <message>
        <source>Network fusion: %1 + %2 sharing one backbone</source>
        <translation>网络融合：%1 + %2 共享一个主干</translation>
    </message>
    <message>
        <source>Network fusion: two task models run as one model with a single copy of their common backbone feeding both heads.</source>
        <translation>网络融合：两个任务模型合并为一个模型运行，共同主干只保留一份，同时供两个输出头使用。</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Parameters: the number of learned weights of both models.</source>
        <translation>参数：两个模型学习到的权重个数。</translation>
    </message>
    <message>
        <source>Model size: storage of all weights as stored in the models.</source>
        <translation>模型大小：模型中所有权重按原样存储的大小。</translation>
    </message>
    <message>
        <source>Compute (MACs)</source>
        <translation>计算量（乘加次数）</translation>
    </message>
    <message>
        <source>MACs: multiply-accumulate operations of one inference, counted from the shapes.</source>
        <translation>乘加次数：一次推理的乘加运算次数，按张量形状计算。</translation>
    </message>
    <message>
        <source>Separate (A + B)</source>
        <translation>独立（A + B）</translation>
    </message>
    <message>
        <source>Fused</source>
        <translation>融合</translation>
    </message>
    <message>
        <source>%1 · %2 (%3)</source>
        <translation>%1 · %2（%3）</translation>
    </message>
    <message>
        <source>%1 of output %2 of model %3 on its own validation data: the separate model against the fused one.</source>
        <translation>模型 %3 的输出 %2 在其自身验证数据上的%1：独立模型与融合模型对比。</translation>
    </message>
    <message>
        <source>Separate</source>
        <translation>独立</translation>
    </message>
    <message>
        <source>Knowledge distillation: teacher against student, and the student under the plan</source>
        <translation>知识蒸馏：教师与学生对比，以及按方案压缩的学生模型</translation>
    </message>
    <message>
        <source>Knowledge distillation: teacher against student</source>
        <translation>知识蒸馏：教师与学生对比</translation>
    </message>
    <message numerus="yes">
        <source>Knowledge distillation: a small student model trained on a large teacher&apos;s outputs, compared on %n validation sample(s).</source>
        <translation>
            <numerusform>知识蒸馏：用大型教师模型的输出训练的小型学生模型，在 %n 个验证样本上比较。</numerusform>
        </translation>
    </message>
    <message>
        <source>Teacher</source>
        <translation>教师</translation>
    </message>
    <message>
        <source>Student</source>
        <translation>学生</translation>
    </message>
    <message>
        <source>%1 fewer</source>
        <translation>减少 %1</translation>
    </message>
    <message>
        <source>Speed on this machine</source>
        <translation>本机上的速度</translation>
    </message>
    <message>
        <source>Speed: the teacher&apos;s time per batch divided by the student&apos;s, measured with this program&apos;s engine.</source>
        <translation>速度：教师模型每批耗时除以学生模型每批耗时，用本程序的引擎测得。</translation>
    </message>
    <message>
        <source>%1 faster</source>
        <translation>快 %1</translation>
    </message>
    <message>
        <source>Student under the plan</source>
        <translation>按方案压缩的学生模型</translation>
    </message>
    <message>
        <source>The student&apos;s weights compressed under the project&apos;s plan, float as stored against compressed.</source>
        <translation>按项目方案压缩后的学生模型权重，原始浮点与压缩后对比。</translation>
    </message>
    <message>
        <source>Student, float</source>
        <translation>学生，浮点</translation>
    </message>
    <message>
        <source>Student, compressed</source>
        <translation>学生，压缩后</translation>
    </message>
    <message>
        <source>%1 smaller than the teacher</source>
        <translation>比教师模型小 %1</translation>
    </message>
    <message>
        <source>Agreement with teacher</source>
        <translation>与教师模型的一致率</translation>
    </message>
    <message>
        <source>%1 of output %2 on the validation samples: teacher against student.</source>
        <translation>输出 %2 在验证样本上的%1：教师与学生对比。</translation>
    </message>
    <message>
        <source>Under the plan: %1 (%2 pp)</source>
        <translation>按方案压缩：%1（%2 个百分点）</translation>
    </message>
    <message>
        <source>The student under the project&apos;s plan, and its difference from the teacher in percentage points.</source>
        <translation>按项目方案压缩的学生模型，以及它与教师模型的差距（百分点）。</translation>
    </message>
    <message>
        <source>%1 smaller</source>
        <translation>缩小 %1</translation>
    </message>
    <message>
        <source>Parameters: %1 in the teacher, %2 in the student.</source>
        <translation>参数：教师模型 %1 个，学生模型 %2 个。</translation>
    </message>
    <message>
        <source>%1 → %2 ms per batch</source>
        <translation>每批 %1 → %2 毫秒</translation>
    </message>
    <message>
        <source>Median time of one batch of %1 samples: teacher, then student.</source>
        <translation>一批 %1 个样本的耗时中位数：先教师，后学生。</translation>
    </message>
    <message>
        <source>✔ within budget (%1 pp allowed)</source>
        <translation>✔ 符合预算（允许 %1 个百分点）</translation>
    </message>
    <message>
        <source>✘ over budget by %1 pp (%2 pp allowed)</source>
        <translation>✘ 超出预算 %1 个百分点（允许 %2 个百分点）</translation>
    </message>
    <message>
        <source>The project&apos;s accuracy budget for %1: the largest drop the plan may cost it. Set it in the accuracy preview.</source>
        <translation>项目为 %1 设置的精度预算：方案允许它下降的最大幅度。在精度预览中设置。</translation>
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
    <message>
        <source>Clipped</source>
        <translation>截断</translation>
    </message>
    <message>
        <source>SQNR</source>
        <translation>SQNR</translation>
    </message>
    <message>
        <source>MSE</source>
        <translation>MSE</translation>
    </message>
    <message>
        <source>Levels in use</source>
        <translation>使用的量化级</translation>
    </message>
    <message>
        <source>Clipped: the share of weights outside the quantization range, which are saturated to its ends.</source>
        <translation>截断：量化范围之外的权重所占比例，这些权重被饱和到范围两端。</translation>
    </message>
    <message>
        <source>SQNR: signal-to-quantization-noise ratio of the compressed weight against the original, in decibels (higher is better).</source>
        <translation>SQNR：压缩后权重相对原始权重的信号量化噪声比，单位为分贝（越高越好）。</translation>
    </message>
    <message>
        <source>MSE: the mean squared difference between the compressed and the original weights.</source>
        <translation>MSE：压缩后权重与原始权重之差的均方值。</translation>
    </message>
    <message>
        <source>Levels in use: how many of the integer codes the quantized weights actually take.</source>
        <translation>使用的量化级：量化后的权重实际用到了多少个整数码。</translation>
    </message>
    <message>
        <source>Sparsity: the share of weights that are zero after pruning and quantization.</source>
        <translation>稀疏度：剪枝和量化后为零的权重所占比例。</translation>
    </message>
    <message>
        <source>Under the plan</source>
        <translation>按当前方案</translation>
    </message>
    <message>
        <source>How the layer&apos;s weight fares under its compression settings; updated live while you drag the range.</source>
        <translation>该层权重在其压缩设置下的表现；拖动范围时实时更新。</translation>
    </message>
    <message>
        <source>exact</source>
        <translation>无误差</translation>
    </message>
    <message>
        <source> dB</source>
        <translation> dB</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Weight statistics</source>
        <translation>权重统计</translation>
    </message>
</context>
<context>
    <name>nnc::studio::EvalService</name>
    <message>
        <source>Open a model and its validation data first.</source>
        <translation>请先打开模型及其验证数据。</translation>
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
        <source>The %1 translation is missing.</source>
        <translation>缺少%1翻译。</translation>
    </message>
    <message>
        <source>Open Model</source>
        <translation>打开模型</translation>
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
    <message numerus="yes">
        <source>Data: %1 (%n sample(s))</source>
        <translation>
            <numerusform>数据：%1（%n 个样本）</numerusform>
        </translation>
    </message>
    <message>
        <source>Open Validation Data</source>
        <translation>打开验证数据</translation>
    </message>
    <message>
        <source>Could not use %1 with this model.</source>
        <translation>无法将 %1 用于此模型。</translation>
    </message>
    <message>
        <source>No validation data</source>
        <translation>没有验证数据</translation>
    </message>
    <message>
        <source>&amp;Undo %1</source>
        <translation>撤销 %1(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo %1</source>
        <translation>重做 %1(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>Drag the range of %1</source>
        <translation>拖动 %1 的范围</translation>
    </message>
    <message>
        <source>%1-bit weights</source>
        <translation>%1 位权重</translation>
    </message>
    <message>
        <source>%1 % pruning</source>
        <translation>剪枝 %1 %</translation>
    </message>
    <message>
        <source>Open &amp;Demo</source>
        <translation>打开演示(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;New Project</source>
        <translation>新建项目(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>Open a model, validation data, a project or a plan</source>
        <translation>打开模型、验证数据、项目或方案</translation>
    </message>
    <message>
        <source>Open &amp;Validation Data…</source>
        <translation>打开验证数据(&amp;V)…</translation>
    </message>
    <message>
        <source>Open the data the model is evaluated on</source>
        <translation>打开用于评估模型的数据</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Import Plan…</source>
        <translation>导入方案(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Export Plan…</source>
        <translation>导出方案(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>&lt;p style=&apos;font-size:large&apos;&gt;&lt;b&gt;No model open&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Open an ONNX model with &lt;b&gt;File ▸ Open…&lt;/b&gt; (%1),&lt;br&gt;try a bundled demo, or drop a .onnx, .npz or .nncproj file here.&lt;/p&gt;</source>
        <translation>&lt;p style=&apos;font-size:large&apos;&gt;&lt;b&gt;尚未打开模型&lt;/b&gt;&lt;/p&gt;&lt;p&gt;用&lt;b&gt;文件 ▸ 打开…&lt;/b&gt;（%1）打开 ONNX 模型，&lt;br&gt;试试内置演示，或将 .onnx、.npz 或 .nncproj 文件拖放到这里。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <source>Open the Demo</source>
        <translation>打开演示</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Activations</source>
        <translation>激活</translation>
    </message>
    <message>
        <source>Sensitivity</source>
        <translation>敏感度</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Layer Settings</source>
        <translation>层设置</translation>
    </message>
    <message>
        <source>Accuracy Preview</source>
        <translation>精度预览</translation>
    </message>
    <message>
        <source>NNCompress Studio[*]</source>
        <translation>NNCompress Studio[*]</translation>
    </message>
    <message>
        <source>%1[*] — NNCompress Studio</source>
        <translation>%1[*] — NNCompress Studio</translation>
    </message>
    <message>
        <source>Autosave failed: %1</source>
        <translation>自动保存失败：%1</translation>
    </message>
    <message>
        <source>Restore Unsaved Work</source>
        <translation>恢复未保存的工作</translation>
    </message>
    <message>
        <source>NNCompress Studio did not close normally last time.</source>
        <translation>NNCompress Studio 上次没有正常关闭。</translation>
    </message>
    <message>
        <source>Restore the work autosaved at %1?</source>
        <translation>是否恢复 %1 自动保存的工作？</translation>
    </message>
    <message>
        <source>The recovery file cannot be read.</source>
        <translation>无法读取恢复文件。</translation>
    </message>
    <message>
        <source>Unsaved Changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>The project has unsaved changes.</source>
        <translation>项目有未保存的更改。</translation>
    </message>
    <message>
        <source>Save them before continuing?</source>
        <translation>继续之前是否保存？</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Everything NNCompress opens (*.onnx *.nncproj *.json *.npz *.npy);;ONNX models (*.onnx);;Projects (*.nncproj);;Plans and data descriptions (*.json);;Arrays (*.npz *.npy);;All files (*)</source>
        <translation>NNCompress 可打开的文件 (*.onnx *.nncproj *.json *.npz *.npy);;ONNX 模型 (*.onnx);;项目 (*.nncproj);;方案和数据描述 (*.json);;数组 (*.npz *.npy);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Validation data (*.json *.npz *.npy *.gz);;All files (*)</source>
        <translation>验证数据 (*.json *.npz *.npy *.gz);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Open Project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <source>The project names no model.</source>
        <translation>该项目没有指定模型。</translation>
    </message>
    <message>
        <source>Open a model first: validation data is read for a model&apos;s inputs.</source>
        <translation>请先打开模型：验证数据要按模型的输入来读取。</translation>
    </message>
    <message>
        <source>The file %1 does not exist.</source>
        <translation>文件 %1 不存在。</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>正在打开 %1…</translation>
    </message>
    <message>
        <source>untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>Save Project</source>
        <translation>保存项目</translation>
    </message>
    <message>
        <source>NNCompress projects (*.nncproj)</source>
        <translation>NNCompress 项目 (*.nncproj)</translation>
    </message>
    <message>
        <source>Could not save %1.</source>
        <translation>无法保存 %1。</translation>
    </message>
    <message>
        <source>Saved %1.</source>
        <translation>已保存 %1。</translation>
    </message>
    <message>
        <source>Import Plan</source>
        <translation>导入方案</translation>
    </message>
    <message>
        <source>Could not import %1.</source>
        <translation>无法导入 %1。</translation>
    </message>
    <message>
        <source>Open the model the plan was made for first.</source>
        <translation>请先打开该方案所针对的模型。</translation>
    </message>
    <message>
        <source>%1 does not fit this model.</source>
        <translation>%1 与此模型不匹配。</translation>
    </message>
    <message>
        <source>Import plan %1</source>
        <translation>导入方案 %1</translation>
    </message>
    <message>
        <source>Imported %1.</source>
        <translation>已导入 %1。</translation>
    </message>
    <message>
        <source>Compression plans (*.json)</source>
        <translation>压缩方案 (*.json)</translation>
    </message>
    <message>
        <source>plan</source>
        <translation>方案</translation>
    </message>
    <message>
        <source>Export Plan</source>
        <translation>导出方案</translation>
    </message>
    <message>
        <source>Exported the plan to %1.</source>
        <translation>已将方案导出到 %1。</translation>
    </message>
    <message>
        <source>The plan does not fit %1.</source>
        <translation>该方案与 %1 不匹配。</translation>
    </message>
    <message>
        <source>Fusion</source>
        <translation>网络融合</translation>
    </message>
    <message>
        <source>Distillation</source>
        <translation>知识蒸馏</translation>
    </message>
    <message>
        <source>Export &amp;Model…</source>
        <translation>导出模型(&amp;M)…</translation>
    </message>
    <message>
        <source>Write the compressed model (QDQ ONNX, pruned ONNX) or a deployment toolchain&apos;s file (ONNX Runtime, AIMET, TensorRT)</source>
        <translation>写出压缩后的模型（QDQ ONNX、剪枝后的 ONNX）或部署工具链的文件（ONNX Runtime、AIMET、TensorRT）</translation>
    </message>
    <message>
        <source>Export Re&amp;port…</source>
        <translation>导出报告(&amp;P)…</translation>
    </message>
    <message>
        <source>Write a report for a product team (PDF or self-contained HTML) in the interface language</source>
        <translation>以界面语言为产品团队写一份报告（PDF 或独立的 HTML）</translation>
    </message>
    <message>
        <source>Export Model</source>
        <translation>导出模型</translation>
    </message>
    <message>
        <source>Open a model first.</source>
        <translation>请先打开模型。</translation>
    </message>
    <message>
        <source>Exporting %1…</source>
        <translation>正在导出 %1…</translation>
    </message>
    <message>
        <source>The export was cancelled.</source>
        <translation>导出已取消。</translation>
    </message>
    <message>
        <source>Could not export %1.</source>
        <translation>无法导出 %1。</translation>
    </message>
    <message>
        <source>Exported %1.</source>
        <translation>已导出 %1。</translation>
    </message>
    <message>
        <source>Export Report</source>
        <translation>导出报告</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <source>Self-contained web page (*.html)</source>
        <translation>独立网页 (*.html)</translation>
    </message>
    <message>
        <source>A report needs a model and its validation data: open both first.</source>
        <translation>报告需要模型及其验证数据：请先打开两者。</translation>
    </message>
    <message>
        <source>Writing the report %1…</source>
        <translation>正在写报告 %1…</translation>
    </message>
    <message>
        <source>The report was cancelled.</source>
        <translation>报告已取消。</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>无法写入 %1。</translation>
    </message>
    <message>
        <source>Wrote the report %1.</source>
        <translation>已写出报告 %1。</translation>
    </message>
</context>
<context>
    <name>nnc::studio::ModelExport</name>
    <message>
        <source>QDQ ONNX model (*.onnx)</source>
        <translation>QDQ ONNX 模型 (*.onnx)</translation>
    </message>
    <message>
        <source>Pruned float ONNX model (*.onnx)</source>
        <translation>剪枝后的浮点 ONNX 模型 (*.onnx)</translation>
    </message>
    <message>
        <source>ONNX Runtime tensor overrides (*.json)</source>
        <translation>ONNX Runtime 张量量化覆盖 (*.json)</translation>
    </message>
    <message>
        <source>AIMET encodings 0.6.1 (*.encodings)</source>
        <translation>AIMET 编码 0.6.1 (*.encodings)</translation>
    </message>
    <message>
        <source>AIMET encodings 1.0.0 (*.json)</source>
        <translation>AIMET 编码 1.0.0 (*.json)</translation>
    </message>
    <message>
        <source>TensorRT calibration cache (*.cache)</source>
        <translation>TensorRT 校准缓存 (*.cache)</translation>
    </message>
    <message numerus="yes">
        <source>Calibrated %n activation range(s) on the validation data.</source>
        <translation>
            <numerusform>已在验证数据上校准了 %n 个激活范围。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>nnc::studio::Project</name>
    <message>
        <source>default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>Set %1 budget to %2 pp</source>
        <translation>将 %1 的预算设为 %2 个百分点</translation>
    </message>
    <message>
        <source>Remove %1 budget</source>
        <translation>移除 %1 的预算</translation>
    </message>
</context>
<context>
    <name>nnc::studio::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Language: the language of menus and labels; it changes at once.</source>
        <translation>语言：菜单和标签使用的语言；立即生效。</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>All cores</source>
        <translation>全部核心</translation>
    </message>
    <message>
        <source>Threads: how many CPU cores the evaluator uses (&quot;All cores&quot; uses every one); takes effect when data is next opened.</source>
        <translation>线程：评估器使用的 CPU 核心数（“全部核心”表示全部使用）；下次打开数据时生效。</translation>
    </message>
    <message>
        <source>&amp;Threads:</source>
        <translation>线程(&amp;T)：</translation>
    </message>
    <message>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
    <message>
        <source>Cache budget: memory kept for activations so that an edit re-runs only the layers after it.</source>
        <translation>缓存预算：用于保存激活的内存，使每次修改只需重新运行其后的层。</translation>
    </message>
    <message>
        <source>&amp;Cache budget:</source>
        <translation>缓存预算(&amp;C)：</translation>
    </message>
</context>
</TS>
