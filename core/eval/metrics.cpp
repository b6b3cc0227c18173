// Metric accumulation.
#include "core/eval/metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace nnc {

std::vector<int64_t> argmaxLastAxis(const Tensor &logits)
{
    const int64_t c = logits.rank() ? logits.dims().back() : 1;
    const int64_t rows = c ? logits.numel() / c : 0;
    std::vector<int64_t> out(static_cast<std::size_t>(rows));
    const Tensor f = logits.dtype() == DataType::Float ? logits : logits.castTo(DataType::Float);
    const float *p = f.data<float>();
    for (int64_t r = 0; r < rows; ++r) {
        const float *row = p + r * c;
        out[static_cast<std::size_t>(r)] = std::max_element(row, row + c) - row;
    }
    return out;
}

std::vector<Entity> bioEntities(const std::vector<std::string> &tags)
{
    std::vector<Entity> out;
    std::string current;
    int64_t start = 0;
    auto close = [&](int64_t end) {
        if (!current.empty())
            out.push_back({current, start, end});
        current.clear();
    };
    for (std::size_t i = 0; i < tags.size(); ++i) {
        const std::string &t = tags[i];
        const auto pos = static_cast<int64_t>(i);
        if (t.size() > 2 && (t[0] == 'B' || t[0] == 'I') && t[1] == '-') {
            const std::string type = t.substr(2);
            if (t[0] == 'B' || current != type) {
                close(pos);
                current = type;
                start = pos;
            }
        } else {
            close(pos);
        }
    }
    close(static_cast<int64_t>(tags.size()));
    return out;
}

void MetricAccumulator::add(const Tensor &logits, const Tensor &labels)
{
    const std::vector<int64_t> pred = argmaxLastAxis(logits);
    const std::vector<int64_t> gold = labels.toInt64Vector();
    if (metric == "top5") {
        const int64_t c = logits.dims().back();
        const Tensor f = logits.castTo(DataType::Float);
        for (std::size_t r = 0; r < gold.size(); ++r) {
            if (gold[r] == ignoreIndex)
                continue;
            const float *row = f.data<float>() + static_cast<int64_t>(r) * c;
            const float target = gold[r] >= 0 && gold[r] < c ? row[gold[r]] : -INFINITY;
            int64_t greater = 0;
            for (int64_t k = 0; k < c; ++k)
                greater += row[k] > target;
            correct += greater < 5 && gold[r] >= 0 && gold[r] < c;
            ++total;
        }
        return;
    }
    if (metric == "entity_f1") {
        const int64_t t = labels.rank() >= 2 ? labels.dims()[1] : 1;
        const int64_t b = t ? static_cast<int64_t>(gold.size()) / t : 0;
        auto name = [&](int64_t id) {
            return id >= 0 && id < static_cast<int64_t>(tagNames.size()) ? tagNames[static_cast<std::size_t>(id)]
                                                                         : std::string("O");
        };
        for (int64_t s = 0; s < b; ++s) {
            std::vector<std::string> g, p;
            for (int64_t k = 0; k < t; ++k) {
                const auto idx = static_cast<std::size_t>(s * t + k);
                if (gold[idx] == ignoreIndex)
                    continue;
                g.push_back(name(gold[idx]));
                p.push_back(name(pred[idx]));
                correct += gold[idx] == pred[idx];
                ++total;
            }
            const auto ge = bioEntities(g), pe = bioEntities(p);
            this->gold += static_cast<int64_t>(ge.size());
            predicted += static_cast<int64_t>(pe.size());
            for (const Entity &e : pe)
                truePos += std::find(ge.begin(), ge.end(), e) != ge.end();
        }
        return;
    }
    // accuracy, token_accuracy, agreement: position-wise equality, skipping ignoreIndex
    for (std::size_t i = 0; i < gold.size() && i < pred.size(); ++i) {
        if (gold[i] == ignoreIndex)
            continue;
        correct += pred[i] == gold[i];
        ++total;
    }
}

double MetricAccumulator::value() const
{
    if (metric == "entity_f1") {
        if (gold == 0 && predicted == 0)
            return 1.0;
        const double p = predicted ? double(truePos) / predicted : 0.0;
        const double r = gold ? double(truePos) / gold : 0.0;
        return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
    }
    return total ? double(correct) / total : 0.0;
}

std::pair<double, double> MetricAccumulator::interval95() const
{
    const double n = metric == "entity_f1" ? double(std::max<int64_t>(gold, 1)) : double(total);
    if (n <= 0)
        return {0.0, 1.0};
    const double p = value(), z = 1.959964;
    const double denom = 1 + z * z / n;
    const double centre = (p + z * z / (2 * n)) / denom;
    const double half = z * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom;
    return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

} // namespace nnc
