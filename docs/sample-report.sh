#!/bin/sh
# Regenerates the sample compression reports in docs/ (docs/report.md describes them): the demo
# Fashion-MNIST CNN under docs/sample-report-plan.json (8-bit everywhere, 4-bit weights on fc1,
# half of conv2's weights pruned), as HTML and PDF, in English and Chinese.
# Usage: docs/sample-report.sh [BUILD_DIR]   (default build/dev; builds nothing itself)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/dev}
cli=$build/app/cli/nncompress
studio=$build/app/studio/nncompress-studio
for exe in "$cli" "$studio"; do
    [ -x "$exe" ] || { echo "sample-report.sh: $exe is missing; build nncompress and nncompress-studio first." >&2; exit 1; }
done
model=$root/resources/demo/fashion_cnn.onnx
data=$root/resources/demo/fashion_val.json
plan=$root/docs/sample-report-plan.json
# The PDF comes from the Studio's headless mode: no window, no display needed.
export QT_QPA_PLATFORM=offscreen
runtime=$(mktemp -d)
trap 'rm -rf "$runtime"' EXIT
export XDG_RUNTIME_DIR="$runtime"
for lang in en zh_CN; do
    suffix=$([ "$lang" = en ] && echo "" || echo "-$lang")
    "$cli" report "$model" --data "$data" --plan "$plan" --lang "$lang" \
        --out "$root/docs/sample-report$suffix.html"
    "$studio" --report-pdf "$root/docs/sample-report$suffix.pdf" --model "$model" --data "$data" \
        --plan "$plan" --lang "$lang"
done
