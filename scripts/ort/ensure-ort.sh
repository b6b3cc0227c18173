#!/usr/bin/env bash
# Installs onnxruntime-node 1.30.0 (the reference engine) into a cache folder outside the
# checkout, once. Idempotent: when the pinned version is already there it only prints the path.
#
#   scripts/ort/ensure-ort.sh            # prints the cache folder on stdout (last line)
#   NNC_ORT_CACHE=/some/dir scripts/ort/ensure-ort.sh
#
# The cache folder gets a copy of scripts/ort/package.json (and package-lock.json) so that the
# install is the same everywhere; node_modules (~290 MB) never goes into the repository.
# Exit codes: 0 ready, 1 install failed for another reason, 3 npm registry unreachable.
set -euo pipefail

readonly kVersion="1.30.0"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${NNC_ORT_CACHE:-${HOME}/.cache/nncompress/ort}"

log() { echo "ensure-ort: $*" >&2; }

# True when the pinned package and its native CPU binding are both present.
installed() {
    local pkg="${cache}/node_modules/onnxruntime-node/package.json"
    [[ -f "${pkg}" ]] || return 1
    node -e 'process.exit(require(process.argv[1]).version === process.argv[2] ? 0 : 1)' \
        "${pkg}" "${kVersion}" || return 1
    local bin="${cache}/node_modules/onnxruntime-node/bin"
    compgen -G "${bin}/napi-v*/linux/*/onnxruntime_binding.node" > /dev/null
}

command -v node > /dev/null || { log "node is not installed (apt-get install nodejs npm)"; exit 1; }
command -v npm > /dev/null || { log "npm is not installed (apt-get install npm)"; exit 1; }

mkdir -p "${cache}"
# Several agents or CI jobs may call this at once: serialize on a lock inside the cache.
exec 9> "${cache}/.ensure-ort.lock"
flock 9

if installed; then
    echo "${cache}"
    exit 0
fi

log "installing onnxruntime-node@${kVersion} into ${cache}"
cp "${here}/package.json" "${cache}/package.json"
if [[ -f "${here}/package-lock.json" ]]; then
    cp "${here}/package-lock.json" "${cache}/package-lock.json"
fi

# The package's install script would download a CUDA add-on (and fails offline); the CPU
# library ships inside the package, so skip it. --save-exact keeps the cached package.json pinned.
if ! (cd "${cache}" &&
      ONNXRUNTIME_NODE_INSTALL=skip npm install --no-audit --no-fund --save-exact \
          "onnxruntime-node@${kVersion}" >&2); then
    if ! timeout 60 npm ping > /dev/null 2>&1; then
        log "cannot reach the npm registry ($(npm config get registry));" \
            "onnxruntime-node@${kVersion} is needed as the reference engine: connect to the" \
            "network or set NNC_ORT_CACHE to a folder where it is already installed"
        exit 3
    fi
    log "npm install of onnxruntime-node@${kVersion} failed (see the npm output above)"
    exit 1
fi

if ! installed; then
    log "onnxruntime-node@${kVersion} was installed but its CPU binding for $(uname -m) is missing"
    exit 1
fi
echo "${cache}"
