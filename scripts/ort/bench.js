#!/usr/bin/env node
'use strict';
// Benchmarks a model with ONNX Runtime (onnxruntime-node 1.30.0, CPU) for the benchmark
// harness: prints exactly one JSON line on stdout:
//   {"engine":"onnxruntime","model":...,"median_ms":...,"runs":[...], ...}
// Times are wall-clock ms per session.run (inputs already built; outputs allocated per run).

const lib = require('./lib');

const kUsage = `usage: bench.js MODEL --input-dir DIR --threads N --repeat R [options]
  --input-dir DIR    folder with input_0.pb, ... (TensorProto)
  --threads N        intra-op threads (0 = ONNX Runtime's choice)
  --repeat R         timed runs (default 20)
  --warmup W         untimed runs first (default 3)
  --optimize LEVEL   none | basic | extended | all (default all)
`;

async function main() {
    const { positional, options } = lib.parseArgs(process.argv.slice(2), {
        'input-dir': 'string', threads: 'int', repeat: 'int', warmup: 'int', optimize: 'string',
    }, kUsage);
    if (positional.length !== 1 || !options['input-dir']) {
        lib.die(`expected MODEL and --input-dir\n${kUsage}`, 2);
    }
    const model = positional[0];
    const repeat = options.repeat ?? 20;
    if (repeat < 1) lib.die('--repeat must be at least 1', 2);
    const warmup = options.warmup ?? 3;
    const optimize = options.optimize ?? 'all';
    const threads = options.threads ?? 0;

    const t0 = process.hrtime.bigint();
    const session = await lib.createSession(model, { threads, optimize });
    const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const { feeds } = lib.readFeeds(session, options['input-dir']);
    const timing = await lib.timeRuns(session, feeds, repeat, warmup);
    process.stdout.write(`${JSON.stringify({
        engine: 'onnxruntime',
        model,
        median_ms: timing.median_ms,
        runs: timing.runs,
        min_ms: timing.min_ms,
        threads,
        warmup,
        repeat,
        optimize,
        load_ms: Math.round(loadMs * 1000) / 1000,
        version: lib.loadOrt().env.versions.node ?? lib.kOrtVersion,
    })}\n`);
}

main().catch((err) => lib.die(err.message ?? String(err)));
