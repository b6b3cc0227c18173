// The layer settings panel: how the selected layers (or the whole model, by default) are
// compressed: weight quantization, the quantization of the layer's input activations, and
// pruning. It shows the effective settings of the current layer; every change becomes one
// undoable edit through the Project and applies to every selected layer. Render-only otherwise:
// it refreshes from the plan whenever the plan changes.
#pragma once

#include "core/plan/plan.h"

#include <QStringList>
#include <QWidget>

#include <functional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;

namespace nnc::studio {
class Project;
class EvalService;
} // namespace nnc::studio

namespace nnc {

class LayerSettingsPanel final : public QWidget
{
    Q_OBJECT

public:
    LayerSettingsPanel(studio::Project *project, studio::EvalService *eval,
                       QWidget *parent = nullptr);

    /// The model's layers (for activation tensor names); call after a model is loaded.
    void setLayers(const std::vector<Layer> &layers);
    /// The layer whose settings are shown (empty = none); edits apply to `selected` (which
    /// includes the current one) unless the panel edits the model-wide defaults.
    void setLayer(const QString &layerName);
    void setSelection(const QStringList &selected);
    QStringList selection() const { return m_selected; }
    /// The weight range the current layer's settings give when no manual range is set (shown in
    /// the rmin/rmax fields as a starting point).
    void setEffectiveWeightRange(double rmin, double rmax);

    /// True while editing the model-wide defaults instead of the selected layers.
    bool editsDefaults() const;
    void setEditsDefaults(bool on);

    // Controls, for tests and the main window.
    QSpinBox *weightBitsBox() const { return m_w.bits; }
    QDoubleSpinBox *weightMinBox() const { return m_w.rmin; }
    QDoubleSpinBox *weightMaxBox() const { return m_w.rmax; }
    QSlider *pruneSlider() const { return m_pruneSlider; }

protected:
    void changeEvent(QEvent *event) override;

private:
    /// The controls of one quantized tensor kind (weights or activations).
    struct QuantControls
    {
        QGroupBox *group = nullptr;
        QLabel *bitsLabel = nullptr, *schemeLabel = nullptr, *rangeLabel = nullptr,
               *granularityLabel = nullptr, *calibLabel = nullptr, *minLabel = nullptr,
               *maxLabel = nullptr;
        QSpinBox *bits = nullptr;
        QComboBox *scheme = nullptr;       ///< symmetric / asymmetric
        QComboBox *intRange = nullptr;     ///< signed / unsigned / signed restricted
        QComboBox *granularity = nullptr;  ///< per tensor / per channel
        QComboBox *calibration = nullptr;  ///< minmax / percentile / entropy / mse
        QCheckBox *manual = nullptr;       ///< manual range
        QDoubleSpinBox *rmin = nullptr, *rmax = nullptr;
    };

    QuantControls buildQuant(QWidget *parent, bool weights);
    void connectQuant(QuantControls &c, bool weights);
    void retranslate();
    void refresh();
    void showQuant(QuantControls &c, const QuantConfig &q, bool hasOverride, double effMin,
                   double effMax);

    using PlanEdit = std::function<void(CompressionPlan &)>;
    /// One undoable plan edit named after `text`: `editDefaults` while the panel edits the
    /// model-wide defaults, otherwise `editTargets` (named after the selected layers), or nothing
    /// when there is no target (`haveTargets` false).
    void recordEdit(const QString &text, const PlanEdit &editDefaults, const PlanEdit &editTargets,
                    bool haveTargets, int mergeId);
    /// Applies `change` to the weight override of every target layer (`weights`) or to the
    /// override of every input activation of the targets, or `changeDefault` to the defaults.
    void editQuant(bool weights, const QString &text,
                   const std::function<void(QuantOverride &)> &change,
                   const std::function<void(QuantConfig &)> &changeDefault, int mergeId = -1);
    void editPruning(const QString &text, const std::function<void(PruneOverride &)> &change,
                     const std::function<void(PruneConfig &)> &changeDefault, int mergeId = -1);
    QStringList targets() const;
    QStringList activationTargets() const;
    const Layer *currentLayer() const;

    studio::Project *m_project;
    std::vector<Layer> m_layers;
    QString m_layer;
    QStringList m_selected;
    double m_effMin = 0, m_effMax = 0;
    bool m_refreshing = false;

    QLabel *m_title = nullptr;
    QComboBox *m_scope = nullptr;
    QuantControls m_w, m_a;
    QGroupBox *m_prune = nullptr;
    QLabel *m_ratioLabel = nullptr, *m_structureLabel = nullptr, *m_nmLabel = nullptr;
    QSlider *m_pruneSlider = nullptr;
    QLabel *m_pruneValue = nullptr;
    QComboBox *m_structure = nullptr;
    QSpinBox *m_n = nullptr, *m_m = nullptr;
    QPushButton *m_reset = nullptr;
};

} // namespace nnc
