#!/usr/bin/env bash
# Installs what is missing, builds, and opens the Studio on the demo model (or MODEL if given).
# With no display (DISPLAY and WAYLAND_DISPLAY unset) it runs the same model through the CLI and
# prints the result instead. Usage: scripts/run.sh [MODEL]
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup-deps.sh
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$(nproc)"

model="${1:-}"
if [[ -z "$model" ]]; then
  for candidate in resources/demo/fashion_cnn.onnx ../shared/models/mnist8_zoo_cntk/model.onnx; do
    if [[ -f "$candidate" ]]; then model="$candidate"; break; fi
  done
fi

if [[ -n "${DISPLAY:-}" || -n "${WAYLAND_DISPLAY:-}" ]]; then
  exec build/dev/app/studio/nncompress-studio ${model:+"$model"}
fi

echo "No display found (DISPLAY and WAYLAND_DISPLAY are unset): running the CLI instead."
data="${model%.onnx}"
data="${data%_cnn}_val.json"
if [[ -n "$model" && -f "$data" ]]; then
  # The demo: the model's layers, then its accuracy under a default 8-bit plan.
  build/dev/app/cli/nncompress inspect "$model"
  plan="$(mktemp -d)/plan.json"
  build/dev/app/cli/nncompress plan init "$model" --out "$plan"
  echo
  echo "Accuracy on $data, float vs 8-bit weights and activations:"
  build/dev/app/cli/nncompress eval "$model" --data "$data" --plan "$plan"
  rm -rf "$(dirname "$plan")"
elif [[ -n "$model" ]]; then
  build/dev/app/cli/nncompress inspect "$model"
else
  build/dev/app/cli/nncompress --help
fi
echo
echo "To see the Studio, run this script from a desktop session, or under a virtual display:"
echo "  xvfb-run -a ./scripts/run.sh"
