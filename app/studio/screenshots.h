// The screenshot driver behind `nncompress-studio --screenshots DIR`: opens the default demo,
// waits for its data and preview, sets up a representative edit, and saves the main views as
// PNG files (scripts/screenshots.sh runs it under Xvfb for each language and window size).
#pragma once

#include <QSize>
#include <QString>

namespace nnc::studio {

class MainWindow;

/// Renders the views of `window` (already shown, at `size`) into `dir` as
/// studio-<view><suffix>.png. Returns 0 on success, 1 with a message on stderr otherwise.
int runScreenshots(MainWindow &window, const QString &dir, const QString &suffix, QSize size);

} // namespace nnc::studio
