// Activations view: the histogram of the selected layer's input activations over the validation
// set (float model), with the quantization range the plan uses (clipped regions shaded, the
// levels drawn when there are few) and the range each calibrator proposes as labelled candidate
// lines. Clicking a candidate (in the plot or its button) adopts it: one undo step setting the
// tensor's rmin/rmax in the plan. Statistics are computed on the EvalService worker
// ("activations" jobs) and kept per tensor until the model or data change.
#pragma once

#include "core/eval/activation_profile.h"
#include "widgets/plot_widget.h"

#include <QWidget>

#include <map>
#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QHBoxLayout;
class QLabel;
class QPushButton;

namespace nnc::studio {
class EvalService;
class Project;
} // namespace nnc::studio

namespace nnc {

/// The histogram with its overlays; knows nothing about the plan or the service.
class ActivationPlot final : public PlotWidget
{
    Q_OBJECT

public:
    explicit ActivationPlot(QWidget *parent = nullptr);

    /// Shows `profile`'s histogram with its proposals, the range in use (`current`, drawn solid;
    /// nullopt when the plan has none yet) and, for `spec` with few bits, the levels.
    void setProfile(const ActivationProfile &profile, std::optional<Range> current,
                    const QuantSpec &spec);
    void clear(const QString &placeholder);
    void setLogScale(bool on);
    bool logScale() const { return m_log; }
    bool hasData() const { return m_profile.has_value(); }
    int levelLineCount() const { return m_levelLines; }
    /// Widget position (canvas() coordinates) on proposal `index`'s candidate line (rmax).
    QPoint proposalPosition(int index) const;
    static QColor proposalColor(int index);
    void resetView() override;

signals:
    void proposalClicked(int index);

protected:
    void addContextActions(QMenu &menu) override;
    QString exportBaseName() const override;
    void changeEvent(QEvent *event) override;

private:
    void redraw();
    int proposalAt(const QPoint &pos) const;

    std::optional<ActivationProfile> m_profile;
    std::optional<Range> m_current;
    QuantSpec m_spec;
    bool m_log = true;
    int m_levelLines = 0;
    std::vector<QObject *> m_items;   ///< overlay items (QCPAbstractItem), owned by the plot
    QPoint m_pressPos;
};

class ActivationView final : public QWidget
{
    Q_OBJECT

public:
    ActivationView(studio::Project *project, studio::EvalService *eval, QWidget *parent = nullptr);
    ~ActivationView() override;

    /// Shows the input activations of `layerName` (empty: none), computing them when needed.
    void setLayer(const QString &layerName);
    QString layer() const { return m_layer; }
    /// The tensor shown (a layer input), empty while none is.
    QString tensor() const { return m_tensor; }
    /// The shown profile (histogram, proposals for the plan's spec), if any.
    const ActivationProfile *profile() const;
    /// Sets the plan's range of the shown tensor to proposal `index` (one undo step).
    bool adoptProposal(int index);
    bool isComputing() const { return m_jobId != 0 || m_proposalJobId != 0; }
    QString statusText() const;

    ActivationPlot *plotWidget() const { return m_plot; }
    /// The adopt button of proposal `index`, or nullptr.
    QPushButton *proposalButton(int index) const;
    /// "MinMax", "Percentile 99.99", "Entropy", "MSE" (translated).
    static QString methodName(const CalibConfig &config);

signals:
    /// A profile arrived (or was recomputed for a new spec) and is on screen.
    void profileShown(const QString &tensor);
    void layerActivated(const QString &layerName);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void request();
    void showProfile(const ActivationProfile &profile);
    void refresh();
    void onProfiles(uint64_t generation, const QString &layer, std::vector<std::string> inputs,
                    std::vector<ActivationProfile> profiles);
    void onFailed(const QString &layer, const QString &message);
    void onProposals(uint64_t generation, const QString &tensor, const QuantSpec &spec,
                     std::vector<CalibProposal> proposals);
    void clearCache();
    void updateButtons();

    studio::Project *m_project = nullptr;
    studio::EvalService *m_eval = nullptr;
    QLabel *m_title = nullptr;
    QComboBox *m_tensorCombo = nullptr;
    QCheckBox *m_logCheck = nullptr;
    ActivationPlot *m_plot = nullptr;
    QLabel *m_info = nullptr;
    QLabel *m_adoptLabel = nullptr;
    QHBoxLayout *m_buttonRow = nullptr;
    std::vector<QPushButton *> m_buttons;
    QStringList m_tips;   ///< one sentence per calibrator, for its button

    QString m_layer;
    QString m_tensor;
    std::map<QString, std::vector<std::string>> m_layerInputs;   ///< layer -> input tensors
    std::map<QString, ActivationProfile> m_profiles;              ///< by tensor, cached
    uint64_t m_generation = 0;       ///< bumped when the data change: older answers are dropped
    uint64_t m_jobId = 0;            ///< the "activations" job in flight, or 0
    QString m_pendingLayer;          ///< the layer it computes
    uint64_t m_proposalJobId = 0;    ///< the "activation-proposals" job in flight, or 0
    QString m_pendingProposal;       ///< its tensor and spec
    std::map<QString, QString> m_errors;   ///< by layer: why it has no statistics
};

} // namespace nnc
