#!/usr/bin/env bash
# Renders the Studio's views on the bundled demo under a virtual X display (Xvfb), in English
# and Chinese, at 1280x800 and 1920x1080, then copies the ones the docs use into docs/screenshots/
# (as 256-colour PNGs when ImageMagick's convert is installed, to keep the repository small).
# Every view: studio-<view>[-zh_CN][-1920x1080].png, <view> = main, channels, activations,
# sensitivity, summary, fusion, distill. README shows main, sensitivity, summary, main-zh_CN,
# fusion and budgets (the last one taken by hand, see the end of this script).
# Usage: scripts/screenshots.sh [--all DIR]   (--all: keep every rendering, full colour, in DIR)
set -euo pipefail
cd "$(dirname "$0")/.."
all_dir=""
if [[ "${1:-}" == --all ]]; then
  all_dir="${2:?--all needs a folder}"
fi
studio=build/dev/app/studio/nncompress-studio
if [[ ! -x "$studio" ]]; then
  flock /tmp/nnc-build.lock cmake --build build/dev --target nncompress-studio
fi
command -v xvfb-run >/dev/null || { echo "xvfb-run is missing (apt-get install xvfb)" >&2; exit 1; }
work="$(mktemp -d)"
config="$(mktemp -d)"
trap 'rm -rf "$work" "$config"' EXIT
for lang in en zh_CN; do
  for size in 1280x800 1920x1080; do
    suffix=""
    [[ "$lang" != en ]] && suffix="-$lang"
    [[ "$size" != 1280x800 ]] && suffix="$suffix-$size"
    # A throw-away settings folder: saved window layouts and languages must not leak in.
    rm -rf "${config:?}"/*
    XDG_CONFIG_HOME="$config" XDG_DATA_HOME="$config" \
      xvfb-run -a -s "-screen 0 ${size}x24" \
      "$studio" --lang "$lang" --screenshots "$work" --window-size "$size" \
      --screenshot-suffix "$suffix"
  done
done
if [[ -n "$all_dir" ]]; then
  mkdir -p "$all_dir"
  cp "$work"/*.png "$all_dir"/
  exit 0
fi
out=docs/screenshots
mkdir -p "$out"
for view in main activations sensitivity summary; do
  for suffix in "" -zh_CN; do
    files=("studio-$view$suffix.png")
    [[ "$view" == main ]] && files+=("studio-$view$suffix-1920x1080.png")
    for f in "${files[@]}"; do
      if command -v convert >/dev/null; then
        convert "$work/$f" -colors 256 "PNG8:$out/$f"
      else
        cp "$work/$f" "$out/$f"
      fi
      echo "updated $out/$f"
    done
  done
done
# The fusion workbench after its analysis, English only.
if command -v convert >/dev/null; then
  convert "$work/studio-fusion.png" -colors 256 "PNG8:$out/studio-fusion.png"
else
  cp "$work/studio-fusion.png" "$out/studio-fusion.png"
fi
echo "updated $out/studio-fusion.png"
# studio-budgets.png is taken by hand: the Studio on a project of commands_fused.onnx with 3-bit
# weights and a 0.5 pp budget for every head, the window cropped from the screen.
