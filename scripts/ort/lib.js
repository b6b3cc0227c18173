'use strict';
// Shared helpers for run.js, bench.js and check-cases.js: locating onnxruntime-node in the
// cache (installing it on demand through ensure-ort.sh), argument parsing, reading a test-data
// folder into feeds, timing session.run and comparing tensors.

const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const tp = require('./tensorproto');

const kOrtVersion = '1.30.0';

/** Exit with a message on stderr (status 2 = usage, 1 = failure, 3 = no registry). */
function die(message, status = 1) {
    process.stderr.write(`${path.basename(process.argv[1])}: ${message}\n`);
    process.exit(status);
}

let ortModule = null;

/**
 * Returns the onnxruntime-node module from the cache folder (NNC_ORT_CACHE or
 * ~/.cache/nncompress/ort), running ensure-ort.sh first when it is missing. Exits on failure.
 */
function loadOrt() {
    if (ortModule) return ortModule;
    const cache = process.env.NNC_ORT_CACHE ||
        path.join(process.env.HOME || '/tmp', '.cache', 'nncompress', 'ort');
    const modPath = path.join(cache, 'node_modules', 'onnxruntime-node');
    let version = null;
    try {
        version = JSON.parse(fs.readFileSync(path.join(modPath, 'package.json'), 'utf8')).version;
    } catch { /* not installed yet */ }
    if (version !== kOrtVersion) {
        const res = spawnSync(path.join(__dirname, 'ensure-ort.sh'), [],
                              { stdio: ['ignore', 'ignore', 'inherit'] });
        if (res.status !== 0) {
            die(`onnxruntime-node@${kOrtVersion} is not available (ensure-ort.sh exited with ` +
                `${res.status ?? res.signal})`, res.status === 3 ? 3 : 1);
        }
    }
    ortModule = require(modPath);
    return ortModule;
}

/**
 * Parses argv into { positional: [], options: {} } against a spec mapping option names to
 * 'flag' | 'string' | 'int'. Exits with usage on unknown options or missing values.
 */
function parseArgs(argv, spec, usage) {
    const positional = [];
    const options = {};
    for (let i = 0; i < argv.length; ++i) {
        const arg = argv[i];
        if (arg === '-h' || arg === '--help') {
            process.stdout.write(usage);
            process.exit(0);
        }
        if (!arg.startsWith('--')) {
            positional.push(arg);
            continue;
        }
        let name = arg.slice(2);
        let value;
        const eq = name.indexOf('=');
        if (eq >= 0) {
            value = name.slice(eq + 1);
            name = name.slice(0, eq);
        }
        const kind = spec[name];
        if (!kind) die(`unknown option --${name}\n${usage}`, 2);
        if (kind === 'flag') {
            options[name] = true;
            continue;
        }
        if (value === undefined) {
            if (i + 1 >= argv.length) die(`option --${name} needs a value\n${usage}`, 2);
            value = argv[++i];
        }
        if (kind === 'int') {
            if (!/^\d+$/.test(value)) die(`option --${name} needs a non-negative integer`, 2);
            value = Number(value);
        }
        options[name] = value;
    }
    return { positional, options };
}

const kOptLevels = { none: 'disabled', disabled: 'disabled', basic: 'basic',
                     extended: 'extended', all: 'all' };

/**
 * Creates a CPU inference session. threads: intra-op thread count (0/undefined = ORT default);
 * optimize: none | basic | extended | all.
 */
async function createSession(modelPath, { threads, optimize = 'all' } = {}) {
    const ort = loadOrt();
    const level = kOptLevels[optimize];
    if (!level) die(`--optimize must be none, basic, extended or all, not '${optimize}'`, 2);
    const options = {
        executionProviders: ['cpu'],
        graphOptimizationLevel: level,
        executionMode: 'sequential',
        logSeverityLevel: 3,
    };
    if (threads) {
        options.intraOpNumThreads = threads;
        options.interOpNumThreads = 1;
    }
    // ORT resolves external data files relative to the model's folder when given a path.
    return ort.InferenceSession.create(path.resolve(modelPath), options);
}

/** Sorted list of [index, file] for files named `${prefix}_N.pb` in dir. */
function listNumbered(dir, prefix) {
    const re = new RegExp(`^${prefix}_(\\d+)\\.pb$`);
    return fs.readdirSync(dir)
        .map((f) => [re.exec(f), f])
        .filter(([m]) => m)
        .map(([m, f]) => [Number(m[1]), path.join(dir, f)])
        .sort((a, b) => a[0] - b[0]);
}

/**
 * Reads input_N.pb from dir and maps them to the session's inputs: by stored tensor name when
 * every file has a name that is a graph input, otherwise by position (graph-input order).
 * Returns { feeds: {name: ort.Tensor}, tensors: [decoded] }.
 */
function readFeeds(session, dir) {
    const ort = loadOrt();
    const files = listNumbered(dir, 'input');
    const names = session.inputNames;
    const tensors = files.map(([, f]) => tp.readTensorFile(f));
    const byName = tensors.length > 0 && tensors.every((t) => names.includes(t.name)) &&
        new Set(tensors.map((t) => t.name)).size === tensors.length;
    if (!byName && tensors.length !== names.length) {
        throw new Error(`${dir} holds ${tensors.length} input files but the model has ` +
                        `${names.length} inputs (${names.join(', ')})`);
    }
    const feeds = {};
    tensors.forEach((t, i) => {
        if (t.type === 'bfloat16') {
            throw new Error(`input '${t.name}' is bfloat16, which onnxruntime-node cannot feed`);
        }
        const name = byName ? t.name : names[i];
        feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
    });
    const missing = names.filter((n) => !(n in feeds));
    if (missing.length) throw new Error(`no input file for graph input(s) ${missing.join(', ')}`);
    return { feeds, tensors, byName };
}

/** Converts session outputs to decoded-tensor form in graph-output order. */
function outputsToTensors(session, results) {
    return session.outputNames.map((name) => {
        const t = results[name];
        if (!t || !t.dims) throw new Error(`output '${name}' is not a tensor`);
        return { name, type: t.type, dims: Array.from(t.dims, Number), data: t.data };
    });
}

/** Median of an array of numbers (mean of the two middle values for even lengths). */
function median(values) {
    const s = [...values].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Runs the session `warmup` times untimed, then `repeat` times timed (wall clock around each
 * session.run, in ms). Returns { runs, median_ms, min_ms, results } (results of the last run).
 */
async function timeRuns(session, feeds, repeat, warmup) {
    let results = null;
    for (let i = 0; i < warmup; ++i) results = await session.run(feeds);
    const runs = [];
    for (let i = 0; i < repeat; ++i) {
        const t0 = process.hrtime.bigint();
        results = await session.run(feeds);
        runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    const round = (x) => Math.round(x * 1000) / 1000;
    return {
        runs: runs.map(round),
        median_ms: runs.length ? round(median(runs)) : null,
        min_ms: runs.length ? round(Math.min(...runs)) : null,
        results,
    };
}

/**
 * Compares two decoded tensors. Returns { ok, maxAbs, maxRel, mismatched, reason }: maxAbs is
 * the largest |a-b| (NaN vs NaN counts as equal, NaN vs number as Infinity); `mismatched` counts
 * elements outside atol + rtol*|b| (b = expected). Shape or type differences set reason.
 */
function compareTensors(actual, expected, { atol = 1e-7, rtol = 1e-3 } = {}) {
    const sameDims = actual.dims.length === expected.dims.length &&
        actual.dims.every((d, i) => d === expected.dims[i]);
    if (!sameDims) {
        return { ok: false, reason: `shape [${actual.dims}] vs expected [${expected.dims}]` };
    }
    if (actual.type !== expected.type) {
        return { ok: false, reason: `type ${actual.type} vs expected ${expected.type}` };
    }
    if (actual.type === 'string') {
        const mismatched = actual.data.filter((s, i) => s !== expected.data[i]).length;
        return { ok: mismatched === 0, maxAbs: mismatched ? Infinity : 0, maxRel: 0, mismatched };
    }
    const a = tp.toNumbers(actual);
    const b = tp.toNumbers(expected);
    let maxAbs = 0;
    let maxRel = 0;
    let mismatched = 0;
    for (let i = 0; i < a.length; ++i) {
        const x = a[i];
        const y = b[i];
        let d;
        if (Number.isNaN(x) || Number.isNaN(y)) {
            d = Number.isNaN(x) && Number.isNaN(y) ? 0 : Infinity;
        } else if (x === y) {
            d = 0; // also equal infinities
        } else {
            d = Math.abs(x - y);
        }
        if (d > maxAbs) maxAbs = d;
        if (d > 0 && Number.isFinite(d)) {
            maxRel = Math.max(maxRel, d / Math.max(Math.abs(y), 1e-30));
        }
        if (d > atol + rtol * Math.abs(y)) ++mismatched;
    }
    return { ok: mismatched === 0, maxAbs, maxRel, mismatched };
}

module.exports = {
    kOrtVersion, die, loadOrt, parseArgs, createSession, listNumbered, readFeeds,
    outputsToTensors, timeRuns, median, compareTensors,
};
