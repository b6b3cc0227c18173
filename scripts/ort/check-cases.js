#!/usr/bin/env node
'use strict';
// Runs ONNX Runtime on every test case (a folder with model.onnx and test_data_set_N/) found
// under the given folders and compares with the stored output_N.pb, like the ONNX backend
// test runner. Prints one line per case and a summary. Exit status 4 when any case fails.
//   check-cases.js /usr/share/libonnx-testdata/data/node [--filter conv]
//   check-cases.js /work/shared/models --optimize none

const fs = require('fs');
const path = require('path');
const tp = require('./tensorproto');
const lib = require('./lib');

const kUsage = `usage: check-cases.js DIR... [options]
  DIR                a case folder (model.onnx + test_data_set_N/ or reference/test_data_set_N/)
                     or a folder of them
  --filter TEXT      only cases whose folder name contains TEXT
  --optimize LEVEL   none | basic | extended | all (default all)
  --threads N        intra-op threads (default 1)
  --atol X --rtol Y  tolerance (default 1e-7 and 1e-3, as the ONNX backend tests)
  --verbose          print passing cases too
`;

function findCases(dir) {
    if (fs.existsSync(path.join(dir, 'model.onnx'))) return [dir];
    return fs.readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => path.join(dir, e.name))
        .filter((d) => fs.existsSync(path.join(d, 'model.onnx')))
        .sort();
}

// The test_data_set_N folders of a case: beside model.onnx (ONNX backend tests) or under
// reference/ (the project's test models).
function testSets(dir) {
    const isSet = (d) => /^test_data_set_\d+$/.test(d);
    for (const base of [dir, path.join(dir, 'reference')]) {
        if (!fs.existsSync(base)) continue;
        const sets = fs.readdirSync(base).filter(isSet)
            .sort((a, b) => Number(a.split('_').pop()) - Number(b.split('_').pop()));
        if (sets.length) return sets.map((s) => path.join(base, s));
    }
    return [];
}

async function checkCase(dir, options) {
    let session;
    try {
        session = await lib.createSession(path.join(dir, 'model.onnx'),
                                          { threads: options.threads, optimize: options.optimize });
    } catch (err) {
        return { status: 'LOAD', detail: String(err.message ?? err).split('\n')[0] };
    }
    try {
        const meta = session.inputMetadata ?? [];
        const nonTensor = meta.filter((m) => m.isTensor === false).map((m) => m.name);
        if (nonTensor.length) return { status: 'SKIP', detail: `non-tensor input(s) ${nonTensor}` };
        const outMeta = session.outputMetadata ?? [];
        const nonTensorOut = outMeta.filter((m) => m.isTensor === false).map((m) => m.name);
        if (nonTensorOut.length) {
            return { status: 'SKIP', detail: `non-tensor output(s) ${nonTensorOut}` };
        }
        const sets = testSets(dir);
        if (sets.length === 0) return { status: 'SKIP', detail: 'no test_data_set_N folder' };
        let worst = 0;
        for (const setDir of sets) {
            const set = path.relative(dir, setDir);
            const { feeds } = lib.readFeeds(session, setDir);
            const outputs = lib.outputsToTensors(session, await session.run(feeds));
            const expected = lib.listNumbered(setDir, 'output');
            if (expected.length !== outputs.length) {
                return { status: 'FAIL', detail: `${set}: ${outputs.length} outputs, ` +
                                                 `${expected.length} expected files` };
            }
            for (const [i, file] of expected) {
                const c = lib.compareTensors(outputs[i], tp.readTensorFile(file), options);
                if (!c.ok) {
                    const why = c.reason ??
                    `max_abs_diff ${c.maxAbs}, ${c.mismatched} outside tolerance`;
                return { status: 'FAIL', detail: `${set} output ${i}: ${why}` };
                }
                worst = Math.max(worst, c.maxAbs);
            }
        }
        return {
            status: 'PASS',
            detail: `${sets.length} set(s), max_abs_diff ${worst.toExponential(2)}`,
        };
    } catch (err) {
        return { status: 'ERROR', detail: String(err.message ?? err).split('\n')[0] };
    } finally {
        await session.release();
    }
}

async function main() {
    const { positional, options } = lib.parseArgs(process.argv.slice(2), {
        filter: 'string', optimize: 'string', threads: 'int', atol: 'string', rtol: 'string',
        verbose: 'flag',
    }, kUsage);
    if (positional.length === 0) lib.die(`expected at least one folder\n${kUsage}`, 2);
    const opts = {
        optimize: options.optimize ?? 'all',
        threads: options.threads ?? 1,
        atol: options.atol !== undefined ? Number(options.atol) : 1e-7,
        rtol: options.rtol !== undefined ? Number(options.rtol) : 1e-3,
    };
    const cases = positional.flatMap(findCases)
        .filter((d) => !options.filter || path.basename(d).includes(options.filter));
    const counts = { PASS: 0, FAIL: 0, ERROR: 0, LOAD: 0, SKIP: 0 };
    for (const dir of cases) {
        const r = await checkCase(dir, opts);
        ++counts[r.status];
        if (r.status !== 'PASS' || options.verbose) {
            process.stdout.write(`${r.status.padEnd(5)} ${path.basename(dir)}: ${r.detail}\n`);
        }
    }
    process.stdout.write(`${cases.length} cases: ${counts.PASS} pass, ${counts.FAIL} fail, ` +
        `${counts.ERROR} error, ${counts.LOAD} not loadable by ONNX Runtime, ` +
        `${counts.SKIP} skipped (sequence/optional values or no test data)\n`);
    process.exitCode = counts.FAIL || counts.ERROR ? 4 : 0;
}

main().catch((err) => lib.die(err.message ?? String(err)));
