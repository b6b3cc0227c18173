#!/usr/bin/env bash
# Rebuilds every file of resources/demo (models, validation data, vocabulary, figures) with
# PyTorch: the Fashion-MNIST models, the command corpus and its models, then the README tables.
# Needs Debian's python3-torch (and dataset-fashion-mnist); see scripts/train/README.md.
# Usage: scripts/train/build_demo.sh [--install]   (--install: apt-get the missing packages)
set -euo pipefail
cd "$(dirname "$0")/../.."

py=/usr/bin/python3
missing=()
$py -c "import torch" 2>/dev/null || missing+=(python3-torch)
$py -c "import onnx, numpy" 2>/dev/null || missing+=(python3-onnx python3-numpy)
fashion=/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz
[[ -f $fashion ]] || missing+=(dataset-fashion-mnist)
if ((${#missing[@]})); then
  if [[ "${1:-}" != "--install" ]]; then
    echo "Missing: ${missing[*]}. Install them with"
    echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}"
    echo "or run this script with --install."
    exit 1
  fi
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo=sudo
  $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi

# OpenBLAS, when torch uses it, must not start threads of its own beside torch's.
export OPENBLAS_NUM_THREADS=1 PYTHONUNBUFFERED=1
$py scripts/train/train_fashion.py
$py scripts/train/train_commands.py
$py scripts/train/demo_readme.py
echo "Done. Check the figures with: ctest --preset dev -R test_demo_models"
