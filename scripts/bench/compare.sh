#!/usr/bin/env bash
# Engine vs ONNX Runtime: runs the same models on the same inputs with the same thread count in
# both engines and prints a markdown table (median ms of each, ratio ours/ORT, GFLOP/s for the
# synthetic CNN and MLP, fraction of the hardware FP32 FMA peak bench_model --peak measures). See
# docs/PERFORMANCE.md, section "Engine vs ONNX Runtime".
#
#   scripts/bench/compare.sh [--threads 2] [--repeat 30] [--rounds 5] [--warmup 3]
#                            [--models "cnn mlp ultraface dtln hinglish"] [--build-dir DIR]
#                            [--profile-dir DIR] [--ort-none] [--ours-args "ARGS"]
#
# Builds nothing. It uses build/release/tests/bench/bench_model when it exists, else
# build/dev/...; build it with
#   cmake --preset release && cmake --build --preset release --target bench_model
# ONNX Runtime (onnxruntime-node, CPU) is installed on first use by scripts/ort/ensure-ort.sh.
# The engines alternate: each of --rounds rounds runs ours then ORT with repeat/rounds timed runs
# (after --warmup untimed ones, in a fresh process), and the runs of all rounds are pooled before
# the median is taken, so slow phases of a shared machine hit both engines alike.
#
# Models: cnn and mlp are generated into a temporary folder by make_bench_models.py (Debian's
# /usr/bin/python3 with python3-onnx); ultraface, dtln and hinglish are read from the shared
# model folder (${NNC_SHARED_MODELS:-<repo>/../shared/models}) and skipped with a message when it
# is absent. --profile-dir DIR writes our per-node profile (bench_model --profile) per model.
# --ort-none also times ONNX Runtime with graph optimizations off (no Conv+BatchNorm folding, no
# Conv+Relu fusion: closer to kernel-for-kernel). --ours-args passes extra bench_model options
# (e.g. --flush-denormals).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "${here}/../.." && pwd)"
threads=2
repeat=30
rounds=5
warmup=3
models="cnn mlp ultraface dtln hinglish"
build_dir=""
profile_dir=""
ort_none=0
ours_args=""

die() { echo "compare: $*" >&2; exit 1; }
log() { echo "compare: $*" >&2; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --threads) threads="$2"; shift 2 ;;
        --repeat) repeat="$2"; shift 2 ;;
        --rounds) rounds="$2"; shift 2 ;;
        --warmup) warmup="$2"; shift 2 ;;
        --models) models="$2"; shift 2 ;;
        --build-dir) build_dir="$2"; shift 2 ;;
        --profile-dir) profile_dir="$2"; shift 2 ;;
        --ort-none) ort_none=1; shift ;;
        --ours-args) ours_args="$2"; shift 2 ;;
        -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option '$1' (see --help)" ;;
    esac
done
[[ "${repeat}" =~ ^[0-9]+$ && "${rounds}" =~ ^[0-9]+$ && "${repeat}" -ge "${rounds}" \
    && "${rounds}" -ge 1 ]] || die "--repeat must be a whole number >= --rounds >= 1"
per_round=$(( (repeat + rounds - 1) / rounds ))

if [[ -z "${build_dir}" ]]; then
    for d in build/release build/dev; do
        if [[ -x "${repo}/${d}/tests/bench/bench_model" ]]; then build_dir="${repo}/${d}"; break; fi
    done
fi
bench="${build_dir}/tests/bench/bench_model"
[[ -n "${build_dir}" && -x "${bench}" ]] || die "no bench_model binary; build it first:
  cmake --preset release && cmake --build --preset release --target bench_model"
command -v node > /dev/null || die "node is not installed (apt-get install nodejs npm)"
"${repo}/scripts/ort/ensure-ort.sh" > /dev/null \
    || die "ONNX Runtime is not available (see scripts/ort/README.md)"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/nnc-bench.XXXXXX")"
trap 'rm -rf "${tmp}"' EXIT
shared="${NNC_SHARED_MODELS:-${repo}/../shared/models}"
results="${tmp}/results.tsv"
: > "${results}"
[[ -n "${profile_dir}" ]] && mkdir -p "${profile_dir}"

generated=0
ensure_generated() {
    [[ "${generated}" == 1 ]] && return 0
    generated=2
    if /usr/bin/python3 "${here}/make_bench_models.py" "${tmp}/gen" --batch 64; then
        generated=1
    else
        log "could not generate the synthetic models (needs /usr/bin/python3 with onnx, numpy)"
    fi
    [[ "${generated}" == 1 ]]
}

flops_of() { # name -> FLOPs from meta.json
    node -e 'const m=require(process.argv[1]); console.log(m[process.argv[2]].flops)' \
        "${tmp}/gen/meta.json" "$1"
}

# name -> "MODEL_FILE INPUT_DIR BATCH FLOPS", or nothing (with a message) when unavailable.
resolve() {
    local name="$1" folder set
    case "${name}" in
        cnn|mlp)
            ensure_generated || return 0
            echo "${tmp}/gen/${name}/model.onnx ${tmp}/gen/${name} 64 $(flops_of "${name}")"
            return 0 ;;
        ultraface) folder="ultraface_rfb640" ;;
        dtln) folder="dtln_denoise_stage1" ;;
        hinglish) folder="hinglish_intent_slot_int8" ;;
        *) log "unknown model '${name}' (cnn, mlp, ultraface, dtln, hinglish)"; return 0 ;;
    esac
    set="${shared}/${folder}/reference/test_data_set_0"
    if [[ ! -f "${shared}/${folder}/model.onnx" || ! -d "${set}" ]]; then
        log "skipping ${name}: ${shared}/${folder} not found (the shared models are not here)"
        return 0
    fi
    echo "${shared}/${folder}/model.onnx ${set} 1 0"
}

load() { cut -d' ' -f1-3 /proc/loadavg; }
log "bench_model: ${bench}; threads ${threads}," \
    "${rounds} rounds x ${per_round} runs, warmup ${warmup}"
load_before="$(load)"

"${bench}" --peak --threads "${threads}" --repeat 5 > "${tmp}/peak.json"

for name in ${models}; do
    spec="$(resolve "${name}")"
    [[ -n "${spec}" ]] || continue
    read -r model input_dir batch flops <<< "${spec}"
    log "${name}: ${model}"
    levels="all"
    [[ "${ort_none}" == 1 ]] && levels="all none"
    for ((r = 0; r < rounds; ++r)); do
        # shellcheck disable=SC2086 # ours_args is a list of options
        line="$("${bench}" "${model}" --input-dir "${input_dir}" --threads "${threads}" \
            --repeat "${per_round}" --warmup "${warmup}" ${ours_args})"
        printf '%s\t%s\t%s\t%s\n' "${name}" "${batch}" "${flops}" "${line}" >> "${results}"
        for level in ${levels}; do
            line="$(node "${repo}/scripts/ort/bench.js" "${model}" --input-dir "${input_dir}" \
                --threads "${threads}" --repeat "${per_round}" --warmup "${warmup}" \
                --optimize "${level}")"
            printf '%s\t%s\t%s\t%s\n' "${name}" "${batch}" "${flops}" "${line}" >> "${results}"
        done
    done
    if [[ -n "${profile_dir}" ]]; then
        # shellcheck disable=SC2086
        "${bench}" "${model}" --input-dir "${input_dir}" --threads "${threads}" --repeat 1 \
            --warmup "${warmup}" --profile "${repeat}" ${ours_args} > /dev/null \
            2> "${profile_dir}/${name}.txt"
    fi
done

echo "Threads ${threads}; ${rounds} alternating rounds of ${per_round} timed runs per engine" \
     "(after ${warmup} warm-up runs);" \
     "bench_model from ${build_dir#"${repo}"/}${ours_args:+ with ${ours_args}}."
echo "Load average (1/5/15 min) before: ${load_before}; after: $(load)."
echo
node "${here}/table.js" "${results}" --peak "${tmp}/peak.json"
