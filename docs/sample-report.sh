#!/bin/sh
# Regenerates the sample compression reports in docs/ (docs/report.md describes them), as HTML
# and PDF, in English and Chinese:
#  - sample-report*: the demo Fashion-MNIST CNN under docs/sample-report-plan.json (8-bit
#    everywhere, 4-bit weights on fc1, half of conv2's weights pruned);
#  - sample-report-nlp*: the demo fused intent + slot model under docs/sample-report-nlp-plan.json
#    (8-bit), with accuracy budgets, the network fusion of the separate intent and slot models
#    and the distillation of the transformer teacher into the LSTM student (then compressed
#    under docs/sample-report-student-plan.json).
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
demo=$root/resources/demo
# The budgets are tight on purpose: the sample shows a head over its budget (exit code 5).
nlp_sections="--budget intent_logits=0.5,slot_logits=0.2
    --fusion-a $demo/commands_intent.onnx --fusion-b $demo/commands_slots.onnx --backbone a
    --fusion-data-a $demo/commands_val_intent.json --fusion-data-b $demo/commands_val_slots.json
    --teacher $demo/commands_teacher.onnx --student $demo/commands_student.onnx --temperature 4
    --student-plan $root/docs/sample-report-student-plan.json"
for lang in en zh_CN; do
    suffix=$([ "$lang" = en ] && echo "" || echo "-$lang")
    # shellcheck disable=SC2086 # the options are split on purpose (paths without spaces)
    "$cli" report "$demo/commands_fused.onnx" --data "$demo/commands_val.json" \
        --plan "$root/docs/sample-report-nlp-plan.json" --lang "$lang" $nlp_sections \
        --out "$root/docs/sample-report-nlp$suffix.html" || [ $? -eq 5 ]
    # shellcheck disable=SC2086
    "$studio" --report-pdf "$root/docs/sample-report-nlp$suffix.pdf" \
        --model "$demo/commands_fused.onnx" --data "$demo/commands_val.json" \
        --plan "$root/docs/sample-report-nlp-plan.json" --lang "$lang" $nlp_sections || [ $? -eq 5 ]
done
