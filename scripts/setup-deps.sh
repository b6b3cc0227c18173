#!/usr/bin/env bash
# Installs the Debian 12 packages NNCompress needs to build and test. Idempotent: does nothing
# (and needs no root) when everything is present. Usage: scripts/setup-deps.sh [--screenshots] [--node]
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config
  qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-svg-dev
  libqcustomplot-dev libqcustomplot2.1-qt6
  libonnx-dev libprotobuf-dev protobuf-compiler
  libeigen3-dev nlohmann-json3-dev zlib1g-dev
  libonnx-testdata python3-onnx python3-numpy desktop-file-utils appstream
  fonts-wqy-microhei qt6-translations-l10n
)
for arg in "$@"; do
  case "$arg" in
    --screenshots) packages+=(xvfb xauth imagemagick) ;;
    --node) command -v node >/dev/null 2>&1 || packages+=(nodejs npm) ;;
    *) echo "setup-deps.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "setup-deps: installing ${missing[*]}"
if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo)
else
  echo "setup-deps: these Debian packages are missing: ${missing[*]}" >&2
  echo "setup-deps: installing them needs root. Run: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
