// Accuracy metrics per output head: top-1/top-5, token accuracy and entity-level F1 for BIO
// sequence labelling, agreement with the float model, output SQNR/cosine.
#pragma once

#include "core/model/tensor.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nnc {

/// Running counts for one head; add() batch by batch, read value() at any time.
struct MetricAccumulator
{
    explicit MetricAccumulator(std::string metricName = "accuracy") : metric(std::move(metricName)) {}

    std::string metric;            ///< accuracy | top5 | token_accuracy | entity_f1 | agreement
    int64_t ignoreIndex = -100;
    std::vector<std::string> tagNames;

    int64_t correct = 0, total = 0;               ///< accuracy-like metrics
    int64_t truePos = 0, predicted = 0, gold = 0; ///< entity F1

    /// `logits` [B, C] (class) or [B, T, S] (sequence); `labels` [B] or [B, T] (int64).
    void add(const Tensor &logits, const Tensor &labels);
    /// 0..1
    double value() const;
    /// 95% Wilson interval of an accuracy-like value (entity F1: same formula on gold count).
    std::pair<double, double> interval95() const;
};

/// Arg-max over the last axis: [B, C] -> B values, [B, T, S] -> B*T values.
std::vector<int64_t> argmaxLastAxis(const Tensor &logits);

/// Entities (type, start, end) from a BIO tag sequence, for entity-level F1. "I-x" after "O" or
/// after another type starts a new entity (conlleval's rule).
struct Entity
{
    std::string type;
    int64_t start = 0, end = 0;
    bool operator==(const Entity &) const = default;
};
std::vector<Entity> bioEntities(const std::vector<std::string> &tags);

} // namespace nnc
