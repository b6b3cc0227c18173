#!/usr/bin/env node
'use strict';
// Turns the raw results of compare.sh into a markdown table. Input: a results file whose lines
// are "MODEL<TAB>BATCH<TAB>FLOPS<TAB>JSON" (JSON = one line from bench_model or bench.js; FLOPS
// is 0 when unknown). Runs of the same model and engine from several rounds are pooled before
// the median is taken.
//
//   table.js RESULTS [--peak PEAK_JSON_FILE]

const fs = require('fs');

function median(xs) {
    const s = [...xs].sort((a, b) => a - b);
    const n = s.length;
    return n % 2 ? s[(n - 1) / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

function fmt(x, digits) {
    return Number.isFinite(x) ? x.toFixed(digits) : '-';
}

function main() {
    const args = process.argv.slice(2);
    if (args.length < 1) {
        process.stderr.write('usage: table.js RESULTS [--peak PEAK_JSON_FILE]\n');
        process.exit(2);
    }
    let peak = null;
    const pi = args.indexOf('--peak');
    if (pi >= 0 && args[pi + 1] && fs.existsSync(args[pi + 1])) {
        const text = fs.readFileSync(args[pi + 1], 'utf8').trim();
        if (text) peak = JSON.parse(text);
    }
    const rows = new Map(); // model -> {batch, flops, engines: {engine: runs[]}}
    for (const line of fs.readFileSync(args[0], 'utf8').split('\n')) {
        if (!line.trim()) continue;
        const [model, batch, flops, json] = line.split('\t');
        const r = JSON.parse(json);
        if (!rows.has(model)) rows.set(model, { batch, flops: Number(flops), engines: {} });
        const e = rows.get(model).engines;
        // ONNX Runtime without graph optimizations is a separate column.
        const engine = r.engine === 'onnxruntime' && r.optimize === 'none' ? 'ort-none' : r.engine;
        (e[engine] ??= []).push(...r.runs);
    }
    const out = [];
    // Peak: the hardware FMA throughput of the CPU (AVX-512, what ONNX Runtime's MLAS kernels
    // use here) and of the instruction set our build targets (AVX2 + FMA, x86-64-v3).
    const pct = (gf, p) => (p > 0 && Number.isFinite(gf)
        ? `${((100 * gf) / p).toFixed(0)} %` : '-');
    const withNone = [...rows.values()].some((r) => r.engines['ort-none']);
    out.push('| model | batch | ours median ms | ORT median ms | ours / ORT | '
        + (withNone ? 'ORT no-opt ms | ours / ORT no-opt | ' : '')
        + 'ours GFLOP/s | ORT GFLOP/s | ours % of peak (AVX-512 / AVX2) | '
        + 'ORT % of peak (AVX-512) |');
    out.push(`|${' --- |'.repeat(withNone ? 11 : 9)}`);
    for (const [model, row] of rows) {
        const ours = row.engines.nncompress ? median(row.engines.nncompress) : NaN;
        const ort = row.engines.onnxruntime ? median(row.engines.onnxruntime) : NaN;
        const gf = (ms) => (row.flops > 0 ? row.flops / ms / 1e6 : NaN);
        const p512 = peak?.fma_avx512_gflops ?? 0;
        const p2 = peak?.fma_avx2_gflops ?? 0;
        const oursPct = row.flops > 0 ? `${pct(gf(ours), p512)} / ${pct(gf(ours), p2)}` : '-';
        const none = row.engines['ort-none'] ? median(row.engines['ort-none']) : NaN;
        out.push(`| ${model} | ${row.batch} | ${fmt(ours, 3)} | ${fmt(ort, 3)} | `
            + `${fmt(ours / ort, 2)} | `
            + (withNone ? `${fmt(none, 3)} | ${fmt(ours / none, 2)} | ` : '')
            + `${fmt(gf(ours), 1)} | ${fmt(gf(ort), 1)} | ${oursPct} | ${pct(gf(ort), p512)} |`);
    }
    const n = [...rows.values()].map((r) => Object.values(r.engines).map((x) => x.length));
    process.stdout.write(`${out.join('\n')}\n`);
    if (peak) {
        process.stdout.write(`\nPeak FP32, ${peak.threads} threads: hardware FMA `
            + `${fmt(peak.fma_avx512_gflops, 1)} GFLOP/s with AVX-512, `
            + `${fmt(peak.fma_avx2_gflops, 1)} with AVX2; Eigen GEMM n=${peak.n} (our build): `
            + `${fmt(peak.gflops, 1)} GFLOP/s median (best ${fmt(peak.best_gflops, 1)}).\n`);
    }
    process.stdout.write(`Runs pooled per cell: ${JSON.stringify(n.flat())}.\n`);
}

main();
