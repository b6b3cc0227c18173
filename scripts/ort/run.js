#!/usr/bin/env node
'use strict';
// Runs an ONNX model with ONNX Runtime (onnxruntime-node 1.30.0, CPU) on a test-data folder
// (input_N.pb) and writes output_N.pb in graph-output order. Used as the reference engine.

const fs = require('fs');
const path = require('path');
const tp = require('./tensorproto');
const lib = require('./lib');

const kUsage = `usage: run.js MODEL --input-dir DIR [--output-dir DIR] [options]
  --input-dir DIR     folder with input_0.pb, input_1.pb, ... (TensorProto); fed by stored
                      tensor name when every name is a graph input, else in graph-input order
  --output-dir DIR    write output_0.pb, ... here (raw_data, tensor names set)
  --threads N         intra-op threads (default: ONNX Runtime's choice)
  --optimize LEVEL    none | basic | extended | all (default all)
  --repeat R          time R runs after the warm-up and print median/min/per-run ms
  --warmup W          untimed runs before timing (default 1 when --repeat is given)
  --expected DIR      compare outputs with DIR/output_N.pb (default: --input-dir when it
                      holds output_*.pb files); prints the max abs difference per output
  --no-compare        do not compare
  --atol X --rtol Y   tolerance for the pass/fail verdict (default 1e-7 and 1e-3, as the
                      ONNX backend tests); exit status 4 when an output is outside it
  --json              print one JSON object instead of text
`;

function parseNumber(name, value, fallback) {
    if (value === undefined) return fallback;
    const x = Number(value);
    if (!Number.isFinite(x) || x < 0) lib.die(`--${name} needs a non-negative number`, 2);
    return x;
}

async function main() {
    const { positional, options } = lib.parseArgs(process.argv.slice(2), {
        'input-dir': 'string', 'output-dir': 'string', threads: 'int', optimize: 'string',
        repeat: 'int', warmup: 'int', expected: 'string', 'no-compare': 'flag', atol: 'string',
        rtol: 'string', json: 'flag',
    }, kUsage);
    if (positional.length !== 1 || !options['input-dir']) {
        lib.die(`expected MODEL and --input-dir\n${kUsage}`, 2);
    }
    const model = positional[0];
    const inputDir = options['input-dir'];
    const atol = parseNumber('atol', options.atol, 1e-7);
    const rtol = parseNumber('rtol', options.rtol, 1e-3);
    if (!fs.existsSync(model)) lib.die(`model file ${model} does not exist`);
    if (!fs.existsSync(inputDir)) lib.die(`input folder ${inputDir} does not exist`);

    let expectedDir = options.expected;
    if (!expectedDir && !options['no-compare'] &&
        lib.listNumbered(inputDir, 'output').length > 0) {
        expectedDir = inputDir;
    }
    if (options['no-compare']) expectedDir = undefined;

    const optimize = options.optimize ?? 'all';
    const t0 = process.hrtime.bigint();
    const session = await lib.createSession(model, { threads: options.threads, optimize });
    const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const { feeds, tensors, byName } = lib.readFeeds(session, inputDir);

    const repeat = options.repeat ?? 0;
    const warmup = options.warmup ?? (repeat > 0 ? 1 : 0);
    // Without --repeat: one untimed run that produces the outputs.
    const timing = await lib.timeRuns(session, feeds, repeat,
                                      repeat > 0 ? warmup : Math.max(warmup, 1));
    const outputs = lib.outputsToTensors(session, timing.results);

    if (options['output-dir']) {
        fs.mkdirSync(options['output-dir'], { recursive: true });
        outputs.forEach((t, i) => {
            tp.writeTensorFile(path.join(options['output-dir'], `output_${i}.pb`), t);
        });
    }

    let failed = false;
    const report = outputs.map((t, i) => {
        const entry = { index: i, name: t.name, type: t.type, dims: t.dims };
        if (expectedDir) {
            const file = path.join(expectedDir, `output_${i}.pb`);
            if (!fs.existsSync(file)) {
                entry.compare = { ok: false, reason: `${file} does not exist` };
            } else {
                entry.compare = lib.compareTensors(t, tp.readTensorFile(file), { atol, rtol });
            }
            if (!entry.compare.ok) failed = true;
        }
        return entry;
    });

    const ort = lib.loadOrt();
    const summary = {
        engine: 'onnxruntime',
        ort_version: ort.env.versions.node ?? lib.kOrtVersion,
        model,
        threads: options.threads ?? null,
        optimize,
        load_ms: Math.round(loadMs * 1000) / 1000,
        inputs: tensors.map((t, i) => ({
            name: byName ? t.name : session.inputNames[i], type: t.type, dims: t.dims,
        })),
        outputs: report,
    };
    if (repeat > 0) {
        Object.assign(summary, {
            warmup, repeat, median_ms: timing.median_ms, min_ms: timing.min_ms, runs: timing.runs,
        });
    }

    if (options.json) {
        const replacer = (k, v) => (v === Infinity ? 'inf' : v);
        process.stdout.write(`${JSON.stringify(summary, replacer)}\n`);
    } else {
        for (const e of report) {
            let line = `output ${e.index} '${e.name}' ${e.type} [${e.dims.join(',')}]`;
            if (e.compare) {
                line += e.compare.reason
                    ? `  MISMATCH: ${e.compare.reason}`
                    : e.type === 'string'
                    ? `  ${e.compare.mismatched} string(s) differ  ${e.compare.ok ? 'ok' : 'FAIL'}`
                    : `  max_abs_diff ${e.compare.maxAbs.toExponential(3)}` +
                      `  max_rel_diff ${e.compare.maxRel.toExponential(3)}` +
                      (e.compare.ok ? '  ok'
                                    : `  FAIL (${e.compare.mismatched} outside tolerance)`);
            }
            process.stdout.write(`${line}\n`);
        }
        if (repeat > 0) {
            process.stdout.write(`${JSON.stringify({
                median_ms: timing.median_ms, min_ms: timing.min_ms, warmup, repeat,
                threads: options.threads ?? null, optimize, runs: timing.runs,
            })}\n`);
        }
    }
    process.exitCode = failed ? 4 : 0;
}

main().catch((err) => lib.die(err.message ?? String(err)));
