// The report's string table (English and Simplified Chinese) and shared number formats.
#include "core/report/report_text.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace nnc {

namespace {

// Keys are grouped by where they appear. Chinese follows mainland technical usage (位宽, 逐通道,
// 百分点); units and metric acronyms (SQNR, dB, MB, F1) stay as they are.
constexpr std::array kStrings = {
    // Title block
    ReportString{"title", "Compression report", "压缩报告"},
    ReportString{"model", "Model", "模型"},
    ReportString{"data", "Validation data", "验证数据"},
    ReportString{"plan", "Plan", "压缩方案"},
    ReportString{"created", "Created", "生成时间"},
    ReportString{"model_facts", "{0} compressible layers, {1} weights, opset {2}",
                 "{0} 个可压缩层，{1} 个权重参数，opset {2}"},
    ReportString{"samples_all", "{0} samples", "{0} 个样本"},
    ReportString{"samples_limited", "first {0} of {1} samples", "共 {1} 个样本，使用前 {0} 个"},
    ReportString{"plan_in_memory", "current plan (not saved to a file)",
                 "当前方案（未保存为文件）"},
    ReportString{
        "footer",
        "Made by NNCompress. Figures computed by its evaluator on the "
        "validation data above; the float model is the reference.",
        "由 NNCompress 生成。所有数据均由其评估器在上述验证数据上计算，以浮点模型为基准。"},
    // Key figures
    ReportString{"section_summary", "Summary", "概要"},
    ReportString{"headline", "Under this plan the model shrinks from {1} to {2}, {0}× smaller.",
                 "按此方案压缩后，模型从 {1} 减小到 {2}，压缩比为 {0} 倍。"},
    ReportString{"headline_head", "{0} on '{1}' goes from {2} to {3} ({4} pp).",
                 "输出“{1}”的{0}从 {2} 变为 {3}（{4} 个百分点）。"},
    ReportString{"fig_size", "Model size", "模型大小"},
    ReportString{"fig_ratio", "Compression ratio", "压缩比"},
    ReportString{"fig_ratio_detail", "{0} smaller", "缩小 {0}"},
    ReportString{"fig_metric", "{0} on {1}", "{1} 的{0}"},
    ReportString{"before", "before", "压缩前"},
    ReportString{"after", "after", "压缩后"},
    ReportString{"pp", "{0} pp", "{0} 个百分点"},
    ReportString{"pp_short", "pp", "百分点"},
    ReportString{"times", "{0}×", "{0} 倍"},
    // Metrics
    ReportString{"metric_accuracy", "accuracy", "准确率"},
    ReportString{"metric_top5", "top-5 accuracy", "Top-5 准确率"},
    ReportString{"metric_token_accuracy", "token accuracy", "词元准确率"},
    ReportString{"metric_entity_f1", "entity F1", "实体 F1 值"},
    ReportString{"metric_agreement", "agreement with the float model", "与浮点模型的一致率"},
    // Plan summary
    ReportString{"section_plan", "Plan summary", "方案概要"},
    ReportString{"plan_weights", "Weights", "权重"},
    ReportString{"plan_activations", "Activations", "激活值"},
    ReportString{"plan_pruning", "Pruning", "剪枝"},
    ReportString{"plan_overrides", "Layer settings that differ from the defaults",
                 "与默认设置不同的层"},
    ReportString{"plan_act_overrides", "Activation tensors with their own settings",
                 "单独设置的激活张量"},
    ReportString{"plan_no_overrides", "none: every layer uses the defaults",
                 "无：所有层均使用默认设置"},
    ReportString{"not_quantized", "not quantized", "不量化"},
    ReportString{"quant_desc", "{0}-bit, {1}, {2}", "{0} 位，{1}，{2}"},
    ReportString{"calibrated_with", "ranges by {0}", "范围由{0}确定"},
    ReportString{"per_channel", "per channel", "逐通道"},
    ReportString{"per_tensor", "per tensor", "逐张量"},
    ReportString{"symmetric", "symmetric", "对称"},
    ReportString{"asymmetric", "asymmetric", "非对称"},
    ReportString{"calib_minmax", "min/max", "最小值/最大值"},
    ReportString{"calib_percentile", "the {0} percentile", "{0} 百分位数"},
    ReportString{"calib_entropy", "entropy (KL divergence)", "熵校准（KL 散度）"},
    ReportString{"calib_mse", "minimum squared error", "最小均方误差"},
    ReportString{"calib_manual", "manual ranges", "手动设定的范围"},
    ReportString{"no_pruning", "none", "无"},
    ReportString{"plan_layer_pruning", "pruning {0}", "{0}"},
    ReportString{"plan_layer_weights", "weights {0}", "权重 {0}"},
    ReportString{"prune_unstructured", "{0} of the weights (unstructured, by magnitude)",
                 "按幅值剪去 {0} 的权重（非结构化）"},
    ReportString{"prune_channel", "{0} of the output channels", "剪去 {0} 的输出通道"},
    ReportString{"prune_nm", "{0}:{1} (keep {0} of every {1} weights)",
                 "{0}:{1}（每 {1} 个权重保留 {0} 个）"},
    ReportString{"calibrated_note",
                 "{0} activation ranges were missing from the plan and were calibrated on the "
                 "validation data.",
                 "方案中缺少 {0} 个激活值范围，已在验证数据上校准。"},
    // Heads
    ReportString{"section_heads", "Accuracy per output", "各输出的准确率"},
    ReportString{"col_output", "Output", "输出"},
    ReportString{"col_metric", "Metric", "指标"},
    ReportString{"col_float", "Float model", "浮点模型"},
    ReportString{"col_compressed", "Compressed", "压缩后"},
    ReportString{"col_change", "Change (pp)", "变化（百分点）"},
    ReportString{"col_agreement", "Same prediction as float", "与浮点模型预测相同"},
    ReportString{"col_changed", "Changed predictions", "预测改变的样本"},
    ReportString{"no_labels", "no labels", "无标签"},
    // Layers
    ReportString{"section_layers", "Layers", "各层详情"},
    ReportString{"col_layer", "Layer", "层"},
    ReportString{"col_op", "Op", "算子"},
    ReportString{"col_params", "Weights", "权重数"},
    ReportString{"col_bits", "Bits", "位宽"},
    ReportString{"col_pruning", "Pruning", "剪枝"},
    ReportString{"col_sparsity", "Sparsity", "稀疏度"},
    ReportString{"col_wsqnr", "Weight SQNR", "权重 SQNR"},
    ReportString{"col_osqnr", "Output SQNR", "输出 SQNR"},
    ReportString{"col_sens", "Sensitivity (pp)", "敏感度（百分点）"},
    ReportString{"col_size", "Size", "大小"},
    ReportString{"float", "float", "浮点"},
    ReportString{"bits_stored", "{0} as stored", "保持原样（{0}）"},
    ReportString{"stored_note",
                 "Layers marked \"as stored\" already hold integer weights (MatMulInteger, "
                 "ConvInteger); the evaluator runs them as they are.",
                 "标为“保持原样”的层本身已存储为整数权重（MatMulInteger、ConvInteger），"
                 "评估时按原样运行。"},
    ReportString{"exact", "exact", "无误差"},
    ReportString{"not_run", "–", "–"},
    ReportString{"total", "Total (layer weights)", "合计（各层权重）"},
    ReportString{"layers_note",
                 "SQNR (signal-to-quantization-noise ratio) compares a tensor of the compressed "
                 "model with the float one: higher is better; each 6 dB is about one bit of "
                 "precision, and above 30 dB the difference is rarely visible in accuracy. "
                 "Output SQNR is measured on the first {0} samples with the whole plan applied, so "
                 "it includes the error of the layers before it. "
                 "Sensitivity is the change in the metric when only that layer's weights are "
                 "quantized (the largest loss over the outputs; see the charts below). "
                 "pp = percentage points.",
                 "SQNR（信号与量化噪声之比）衡量压缩后模型的张量与浮点模型的差异：越高越好，"
                 "每 6 dB 约相当于 1 位精度，高于 30 dB 时通常对准确率几乎没有影响。"
                 "输出 SQNR 在应用完整方案后于前 {0} 个样本上测得，因此包含了前面各层带来的误差。"
                 "敏感度是仅量化该层权重时指标的变化（多个输出时取损失最大者；见下方图表）。"},
    ReportString{
        "size_note",
        "Sizes are estimates of the stored weights under the plan: each quantized value "
        "at its bit width plus one scale and zero point per channel, and pruned weights "
        "in a sparse form when that is smaller. Other parameters keep their stored size.",
        "大小为按方案存储权重的估算值：每个量化值按其位宽计，每个通道另加一个缩放因子和零点；"
        "剪枝后的权重在稀疏格式更小时按稀疏格式计。其他参数保持原有大小。"},
    // Histograms
    ReportString{"section_histograms",
                 "Weight distributions of the layers with the largest weight error",
                 "权重误差最大的层的权重分布"},
    ReportString{
        "histograms_note",
        "Bars: the layer's float weights. Shaded: the range its quantized weights can "
        "represent (with one range per channel, the light band spans every channel and "
        "the dark band is the narrowest channel's). Ticks under the axis: the quantization "
        "levels of the widest channel, drawn when there are few enough to see.",
        "柱状：该层的浮点权重。阴影：量化后权重可表示的范围（逐通道量化时，浅色带覆盖所有通道，"
        "深色带为范围最窄的通道）。坐标轴下方的刻度：范围最宽通道的量化级别，级别较少时才绘出。"},
    ReportString{"histograms_none", "This plan changes no layer's weights.",
                 "此方案没有改变任何层的权重。"},
    ReportString{"hist_range", "range {0} to {1}", "范围 {0} 至 {1}"},
    ReportString{"hist_narrow", "narrowest channel {0} to {1}", "最窄通道 {0} 至 {1}"},
    ReportString{"hist_step", "step {0}", "步长 {0}"},
    ReportString{"hist_clipped", "{0} of the weights clipped", "{0} 的权重被截断"},
    ReportString{"hist_none_clipped", "no weight clipped", "没有权重被截断"},
    ReportString{"hist_channels", "{0} channels", "{0} 个通道"},
    ReportString{"hist_not_quantized", "not quantized: no range", "未量化：无范围"},
    // Sensitivity
    ReportString{"section_sensitivity", "Sensitivity", "敏感度"},
    ReportString{"sens_title", "{0} on '{2}': change with {1}-bit weights in one layer at a time",
                 "输出“{2}”的{0}：每次仅将一层权重量化为 {1} 位时的变化"},
    ReportString{"sens_note",
                 "Each bar is the change in the output's metric when only that layer's weights "
                 "are quantized to {0} bits and everything else stays float. Long bars to the left "
                 "mark the layers to keep at higher precision.",
                 "每个柱表示仅将该层权重量化为 {0} 位、其余部分保持浮点时，该输出指标的变化。"
                 "向左越长的柱表示该层越应保持较高精度。"},
    ReportString{"sens_truncated", "The {0} most sensitive of {1} layers are shown.",
                 "仅显示 {1} 个层中最敏感的 {0} 个。"},
    ReportString{"sens_skipped",
                 "The sensitivity analysis was not run for this report (it was switched off).",
                 "本报告未运行敏感度分析（已关闭）。"},
    // Accuracy budgets
    ReportString{"budgets_title", "Accuracy budgets", "精度预算"},
    ReportString{"col_allowed_drop", "Allowed drop (pp)", "允许下降（百分点）"},
    ReportString{"col_actual_drop", "Actual drop (pp)", "实际下降（百分点）"},
    ReportString{"col_verdict", "Verdict", "结论"},
    ReportString{"budget_pass", "✓ within budget", "✓ 符合预算"},
    ReportString{"budget_fail", "✗ over budget", "✗ 超出预算"},
    ReportString{"budgets_note",
                 "The drop is the float model's metric minus the compressed model's, in "
                 "percentage points; a negative drop is a gain.",
                 "下降值为浮点模型的指标减去压缩后模型的指标，单位为百分点；负值表示提升。"},
    ReportString{"headline_budget_fail", "Over budget: '{0}' drops {1} pp where {2} pp is allowed.",
                 "超出预算：输出“{0}”下降了 {1} 个百分点，而预算只允许 {2} 个百分点。"},
    ReportString{"headline_budget_pass", "Every output stays within its accuracy budget.",
                 "所有输出均在各自的精度预算之内。"},
    // Network fusion
    ReportString{"section_fusion", "Network fusion", "网络融合"},
    ReportString{"fusion_model_a", "Model A", "模型 A"},
    ReportString{"fusion_model_b", "Model B", "模型 B"},
    ReportString{"fusion_preview_data", "heads previewed on {0}", "输出头在 {0} 上预览"},
    ReportString{"fusion_backbone", "Shared backbone", "共享主干"},
    ReportString{"fusion_backbone_facts",
                 "{0} nodes ({1} besides constants) of A's {2} and B's {3}; weights taken from {4}",
                 "在 A 的 {2} 个节点和 B 的 {3} 个节点中共享 {0} 个（不含常量为 {1} 个）；"
                 "权重取自{4}"},
    ReportString{"backbone_a", "model A", "模型 A"},
    ReportString{"backbone_b", "model B", "模型 B"},
    ReportString{"backbone_mean", "the element-wise mean of A and B", "A 与 B 的逐元素平均值"},
    ReportString{"fusion_headline",
                 "One shared backbone instead of two saves {0} of the parameters ({1} → {2}), "
                 "{3} of the stored bytes and {4} of the multiply-accumulates per inference.",
                 "两个模型共用一个主干后，参数量减少 {0}（{1} → {2}），存储字节减少 {3}，"
                 "每次推理的乘加运算减少 {4}。"},
    ReportString{"fusion_headline_head", "{0} on '{1}': {2} fused against {3} separate ({4} pp).",
                 "输出“{1}”的{0}：融合后为 {2}，单独模型为 {3}（{4} 个百分点）。"},
    ReportString{"fusion_no_preview",
                 "No validation data was given, so the heads' accuracy was not previewed.",
                 "未提供验证数据，因此未预览各输出头的准确率。"},
    ReportString{"fusion_cost_title", "What sharing saves", "共享带来的节省"},
    ReportString{"col_measure", "Measure", "指标"},
    ReportString{"col_model_a", "A", "模型 A"},
    ReportString{"col_model_b", "B", "模型 B"},
    ReportString{"col_a_plus_b", "A + B (separate)", "A + B（分开部署）"},
    ReportString{"col_fused", "Fused", "融合后"},
    ReportString{"col_saved", "Saved", "节省"},
    ReportString{"cost_parameters", "Parameters", "参数量"},
    ReportString{"cost_bytes", "Stored size", "存储大小"},
    ReportString{"cost_macs", "MACs per inference", "每次推理乘加次数"},
    ReportString{"fusion_cost_note",
                 "Parameters count the floating-point weights; the stored size counts every "
                 "constant as stored; multiply-accumulates (MACs) are counted from the tensor "
                 "shapes of one inference at batch {0} and sequence length {1}.",
                 "参数量只计浮点权重；存储大小按原始存储格式计入所有常量；乘加次数（MACs）按批大小 "
                 "{0}、序列长度 {1} 时一次推理的张量形状计算。"},
    ReportString{"fusion_distances", "Weight distance between A and B in the backbone",
                 "主干中 A 与 B 的权重距离"},
    ReportString{"col_weight", "Weight", "权重"},
    ReportString{"col_shape", "Shape", "形状"},
    ReportString{"col_rel_l2", "Relative L2", "相对 L2 距离"},
    ReportString{"col_cosine", "Cosine similarity", "余弦相似度"},
    ReportString{"identical", "identical", "完全相同"},
    ReportString{"legend_rel_l2", "relative L2 ‖A − B‖ / ‖A‖", "相对 L2 距离 ‖A − B‖ / ‖A‖"},
    ReportString{"legend_cos_dist", "cosine distance 1 − cos(A, B)", "余弦距离 1 − cos(A, B)"},
    ReportString{"fusion_distance_note",
                 "Relative L2 is ‖A − B‖ / ‖A‖ (0: equal weights); cosine distance is "
                 "1 − cos(A, B) (0: same direction, 1: unrelated). Large distances mark the layers "
                 "whose two versions disagree most: retraining the shared backbone has to "
                 "reconcile them.",
                 "相对 L2 距离为 ‖A − B‖ / ‖A‖（0 表示权重相同）；余弦距离为 1 − cos(A, B)"
                 "（0 表示方向相同，1 表示互不相关）。距离越大，说明该层的两个版本差异越大，"
                 "共享主干重新训练时需要弥合的差距也越大。"},
    ReportString{"fusion_heads", "Each head in the fused model against the separate model",
                 "融合模型各输出头与单独模型的对比"},
    ReportString{"col_from_model", "From", "来源"},
    ReportString{"col_separate", "Separate model", "单独模型"},
    ReportString{"col_fused_model", "Fused model", "融合模型"},
    ReportString{"col_agreement_separate", "Same prediction as separate",
                 "与单独模型预测相同"},
    ReportString{"fusion_heads_note",
                 "Each head of the fused model is evaluated on its own task's data against the "
                 "separate model it replaces, before any retraining.",
                 "融合模型的每个输出头都在其自身任务的数据上评估，并与它所替代的单独模型对比；"
                 "尚未进行任何重新训练。"},
    // Knowledge distillation
    ReportString{"section_distill", "Knowledge distillation", "知识蒸馏"},
    ReportString{"distill_teacher", "Teacher", "教师模型"},
    ReportString{"distill_student", "Student", "学生模型"},
    ReportString{"distill_temperature", "Temperature", "温度"},
    ReportString{"distill_plan", "Student's plan", "学生模型的压缩方案"},
    ReportString{"distill_no_plan", "none (the student is compared in float)",
                 "无（学生模型以浮点形式参与比较）"},
    ReportString{"distill_headline",
                 "The student has {0} of the teacher's parameters ({1} against {2}), needs {3} of "
                 "its multiply-accumulates and takes {4} of its time per batch on this machine.",
                 "学生模型的参数量为教师模型的 {0}（{1} 对 {2}），乘加运算量为其 {3}，"
                 "在本机上每批的耗时为其 {4}。"},
    ReportString{"distill_headline_untimed",
                 "The student has {0} of the teacher's parameters ({1} against {2}) and needs {3} "
                 "of its multiply-accumulates.",
                 "学生模型的参数量为教师模型的 {0}（{1} 对 {2}），乘加运算量为其 {3}。"},
    ReportString{"distill_headline_head", "{0} on '{1}': teacher {2}, student {3} ({4} pp).",
                 "输出“{1}”的{0}：教师模型 {2}，学生模型 {3}（{4} 个百分点）。"},
    ReportString{"distill_headline_plan",
                 "Distilled, then compressed under the plan to {0}, the student reaches {1}.",
                 "先蒸馏、再按方案压缩到 {0} 后，学生模型{1}。"},
    ReportString{"distill_plan_item", "{2} in {0} on '{1}' ({3} pp against the teacher)",
                 "输出“{1}”的{0}为 {2}（相对教师模型 {3} 个百分点）"},
    ReportString{"distill_heads", "Teacher against student, per output", "各输出的教师与学生对比"},
    ReportString{"col_teacher", "Teacher", "教师模型"},
    ReportString{"col_student", "Student", "学生模型"},
    ReportString{"col_agreement_teacher", "Same prediction as teacher", "与教师模型预测相同"},
    ReportString{"col_kl", "KL at T = {0}", "T = {0} 时的 KL 散度"},
    ReportString{"col_student_plan", "Student under the plan", "按方案压缩的学生模型"},
    ReportString{"col_plan_change", "Change against teacher (pp)", "相对教师的变化（百分点）"},
    ReportString{"metric_agreement_teacher", "agreement with the teacher", "与教师模型的一致率"},
    ReportString{"distill_kl_note",
                 "KL is the mean divergence KL(teacher ‖ student) of the softened outputs "
                 "(softmax of the logits divided by T), in nats, over samples (token outputs: "
                 "over unmasked tokens); 0 means the student reproduces the teacher's soft labels.",
                 "KL 为软化输出（logits 除以 T 后的 softmax）的散度 KL(教师 ‖ 学生) 在各样本"
                 "（词元输出则为各非填充词元）上的平均值，单位为奈特；0 表示学生模型完全复现了"
                 "教师模型的软标签。"},
    ReportString{"distill_cost", "Size, compute and speed", "大小、计算量与速度"},
    ReportString{"col_model", "Model", "模型"},
    ReportString{"col_ms_batch", "Time per batch", "每批耗时"},
    ReportString{"col_share_teacher", "Size against teacher", "大小占教师比例"},
    ReportString{"ms", "{0} ms", "{0} 毫秒"},
    ReportString{"distill_cost_note",
                 "Multiply-accumulates (MACs) at batch {0} and sequence length {1}. Time per batch: "
                 "median wall time of {2} full batches of {3} samples on this machine with "
                 "NNCompress's engine. Under the plan only the stored size is estimated; the "
                 "speed of a compressed model depends on the deployment runtime.",
                 "乘加次数（MACs）按批大小 {0}、序列长度 {1} 计算。每批耗时：在本机上用 "
                 "NNCompress 引擎运行 {2} 个完整批次（每批 {3} 个样本）的实际耗时中位数。"
                 "按方案压缩时只估算存储大小；压缩模型的速度取决于部署时的推理引擎。"},
    ReportString{"distill_per_class", "{0} per class on '{1}'", "输出“{1}”各类别的{0}"},
    ReportString{"col_class", "Class", "类别"},
    ReportString{"col_count", "Count", "数量"},
    ReportString{"distill_per_class_note",
                 "One row per gold class (token outputs: per tag); the bars start at {0} so that "
                 "differences stay visible, and the exact figures are printed beside them.",
                 "每行对应一个真实类别（词元输出则为一个标签）；为便于看出差异，横轴从 {0} 开始，"
                 "条形旁标有准确数值。"},
    ReportString{"distill_classes_truncated",
                 "The {0} classes with the largest gap between teacher and student are shown, of "
                 "{1}.",
                 "仅显示 {1} 个类别中教师与学生差距最大的 {0} 个。"},
    ReportString{"fusion_distances_truncated",
                 "The chart shows the {0} weights with the largest relative L2 of {1}; the table "
                 "lists them all.",
                 "图中仅显示 {1} 个权重中相对 L2 距离最大的 {0} 个；表格列出全部权重。"},
    ReportString{"distill_unmatched", "Outputs only one of the models has were left out: {0}.",
                 "只有一个模型具有的输出未参与比较：{0}。"},
    ReportString{"page", "Page {0} of {1}", "第 {0} 页，共 {1} 页"},
};

std::string lower(std::string_view s)
{
    std::string r(s);
    for (char &c : r)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::replace(r.begin(), r.end(), '-', '_');
    return r;
}

std::string printf1(const char *fmt, double v)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, fmt, v);
    return buf;
}

} // namespace

std::optional<ReportLanguage> parseReportLanguage(std::string_view code)
{
    const std::string c = lower(code);
    if (c == "en" || c.starts_with("en_"))
        return ReportLanguage::English;
    if (c == "zh" || c == "zh_cn" || c == "zh_hans" || c == "zh_hans_cn" || c == "chinese")
        return ReportLanguage::Chinese;
    return std::nullopt;
}

std::string_view reportLanguageCode(ReportLanguage lang)
{
    return lang == ReportLanguage::Chinese ? "zh_CN" : "en";
}

std::span<const ReportString> reportStrings()
{
    return kStrings;
}

std::string reportText(std::string_view key, ReportLanguage lang,
                       const std::vector<std::string> &args)
{
    const auto it = std::find_if(kStrings.begin(), kStrings.end(),
                                 [&](const ReportString &s) { return s.key == key; });
    if (it == kStrings.end())
        return "<" + std::string(key) + ">";
    const std::string_view text = lang == ReportLanguage::Chinese ? it->zh : it->en;
    std::string out;
    out.reserve(text.size() + 16);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '{' && i + 2 < text.size() &&
            std::isdigit(static_cast<unsigned char>(text[i + 1])) && text[i + 2] == '}') {
            const std::size_t a = static_cast<std::size_t>(text[i + 1] - '0');
            if (a < args.size()) {
                out += args[a];
                i += 2;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

std::string formatBytes(int64_t bytes)
{
    const double b = static_cast<double>(bytes);
    auto three = [](double v, const char *unit) {
        const char *fmt = v >= 100 ? "%.0f %s" : v >= 10 ? "%.1f %s" : "%.2f %s";
        char buf[64];
        std::snprintf(buf, sizeof buf, fmt, v, unit);
        return std::string(buf);
    };
    if (b >= 1e9)
        return three(b / 1e9, "GB");
    if (b >= 1e6)
        return three(b / 1e6, "MB");
    if (b >= 1e3)
        return three(b / 1e3, "KB");
    return std::to_string(bytes) + " B";
}

std::string formatPercent(double share, int decimals)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f%%", decimals, share * 100.0);
    return buf;
}

std::string formatSignedPp(double pp)
{
    // Round first so that -0.001 prints as 0.00, not -0.00.
    const double r = std::round(pp * 100.0) / 100.0;
    if (r == 0.0)
        return "0.00";
    return printf1("%+.2f", r);
}

std::string formatDb(double db, ReportLanguage lang)
{
    if (std::isinf(db) && db > 0)
        return reportText("exact", lang);
    if (!std::isfinite(db))
        return reportText("not_run", lang);
    return printf1("%.1f dB", db);
}

std::string formatCount(int64_t n)
{
    std::string digits = std::to_string(n < 0 ? -n : n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return n < 0 ? "-" + out : out;
}

std::string formatReal(double v, int significant)
{
    if (v == 0.0)
        return "0";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*g", significant, v);
    return buf;
}

} // namespace nnc
