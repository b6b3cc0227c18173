#!/usr/bin/env bash
# Renders the Studio's main views on the bundled demo into docs/screenshots/, in English and
# Chinese, at 1280x800 and 1920x1080, under a virtual X display (Xvfb).
# Files: studio-<view>[-zh_CN][-1920x1080].png, with <view> main, channels, activations, sensitivity,
# summary and the workbench pages; studio-main.png and studio-main-zh_CN.png are the 1280x800 ones the README shows.
# Usage: scripts/screenshots.sh [OUTPUT_DIR]   (default docs/screenshots)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-docs/screenshots}"
studio=build/dev/app/studio/nncompress-studio
if [[ ! -x "$studio" ]]; then
  flock /tmp/nnc-build.lock cmake --build build/dev --target nncompress-studio
fi
command -v xvfb-run >/dev/null || { echo "xvfb-run is missing (apt-get install xvfb)" >&2; exit 1; }
mkdir -p "$out"
# A throw-away settings folder: saved window layouts and languages must not leak in.
config="$(mktemp -d)"
trap 'rm -rf "$config"' EXIT
for lang in en zh_CN; do
  for size in 1280x800 1920x1080; do
    suffix=""
    [[ "$lang" != en ]] && suffix="-$lang"
    [[ "$size" != 1280x800 ]] && suffix="$suffix-$size"
    rm -rf "$config"/*
    XDG_CONFIG_HOME="$config" XDG_DATA_HOME="$config" \
      xvfb-run -a -s "-screen 0 ${size}x24" \
      "$studio" --lang "$lang" --screenshots "$out" --window-size "$size" \
      --screenshot-suffix "$suffix"
  done
done
