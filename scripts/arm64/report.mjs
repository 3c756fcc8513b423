// The summary of scripts/check-arm64.sh. Reads what scripts/arm64/eval-fer.mjs wrote for each
// emulated CPU (RUN/CPU-MODEL.json and .f32) and on this host (RUN/host-MODEL.json and .f32, when
// it ran; RUN/host-skipped.txt says why not), and prints a table per emulated CPU, this host's
// figures on the same faces, the manifest's figures, and how far this host's logits are from the
// emulated ones; or, with --json, one JSON object. Exits 1 when the int8 model is more than 1 point
// below the float model on any emulated CPU, with or without flip-TTA.
//
//   node scripts/arm64/report.mjs --run DIR --manifest models/manifest.json --cpus "cortex-a72 cortex-a76"
//        [--limit N] [--emulator TEXT] [--setup-seconds S] [--eval-seconds S] [--json]
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const INT8 = 'emotion-int8.onnx';
const FLOAT = 'emotion-float.onnx';
const MODELS = [INT8, FLOAT];
const MODES = ['plain', 'flip'];
const LABELS = 7;
// How far below float the int8 model may score, in accuracy (1 point).
const TOLERANCE = 0.01;
const LIKE = {
  'cortex-a72': "Raspberry Pi 4's core, no dot-product instructions",
  'cortex-a76': "Raspberry Pi 5's core, with dot-product instructions",
};

const { values: args } = parseArgs({
  options: {
    run: { type: 'string' },
    manifest: { type: 'string' },
    cpus: { type: 'string' },
    limit: { type: 'string', default: '0' },
    emulator: { type: 'string', default: 'qemu-aarch64 user mode' },
    'setup-seconds': { type: 'string' },
    'eval-seconds': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
if (args.run === undefined || args.manifest === undefined || args.cpus === undefined) {
  console.error('usage: node report.mjs --run DIR --manifest FILE --cpus "CPU ..." [--limit N] [--emulator TEXT] [--json]');
  process.exit(2);
}
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const readLogits = (path) => {
  const bytes = readFileSync(path);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
};
const manifest = readJson(args.manifest);
const cpuNames = args.cpus.split(/\s+/).filter((c) => c !== '');
const limit = Number(args.limit);

// int8 within 1 point of float, per mode. Compares counts, not rounded fractions.
function int8VsFloat(runs) {
  return Object.fromEntries(
    MODES.map((mode) => {
      const int8 = runs[INT8].modes[mode];
      const float = runs[FLOAT].modes[mode];
      const ok = int8.correct >= float.correct - TOLERANCE * runs[INT8].n - 1e-9;
      return [mode, { points: 100 * (int8.accuracy - float.accuracy), ok }];
    }),
  );
}

const cpus = cpuNames.map((cpu) => {
  const runs = Object.fromEntries(MODELS.map((model) => [model, readJson(join(args.run, `${cpu}-${model}.json`))]));
  const versus = int8VsFloat(runs);
  return {
    cpu,
    like: LIKE[cpu],
    n: runs[INT8].n,
    node: runs[INT8].node,
    onnxruntime: runs[INT8].onnxruntime,
    cpuFeatures: runs[INT8].cpuFeatures,
    models: Object.fromEntries(MODELS.map((model) => [model, runs[model].modes])),
    int8VsFloat: versus,
    ok: MODES.every((mode) => versus[mode].ok),
  };
});

function hostCpu() {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const model = /^model name\s*:\s*(.*)$/m.exec(info)?.[1]?.trim();
    const flags = new Set((/^flags\s*:\s*(.*)$/m.exec(info)?.[1] ?? '').split(/\s+/));
    const vnni = flags.has('avx512_vnni') || flags.has('avx_vnni');
    const simd = ['avx512_vnni', 'avx_vnni', 'avx512f', 'avx2'].filter((f) => flags.has(f));
    return `${process.arch} ${model ?? 'unknown CPU'} (${simd.join(', ') || 'no AVX2'}${vnni ? '' : ', no VNNI'})`;
  } catch {
    return process.arch;
  }
}

// This host on the same faces, and its logits against each emulated CPU's (plain mode, every face).
let thisHost;
if (MODELS.every((model) => existsSync(join(args.run, `host-${model}.json`)))) {
  const runs = Object.fromEntries(MODELS.map((model) => [model, readJson(join(args.run, `host-${model}.json`))]));
  const logits = Object.fromEntries(
    MODELS.map((model) => {
      const mine = readLogits(join(args.run, `host-${model}.f32`));
      const perCpu = Object.fromEntries(
        cpuNames.map((cpu) => {
          const theirs = readLogits(join(args.run, `${cpu}-${model}.f32`));
          const faces = Math.min(mine.length, theirs.length) / LABELS;
          let maxAbsDiff = 0;
          let identical = true;
          let labelsDiffer = 0;
          for (let face = 0; face < faces; face++) {
            let a = 0;
            let b = 0;
            for (let j = 0; j < LABELS; j++) {
              const i = face * LABELS + j;
              maxAbsDiff = Math.max(maxAbsDiff, Math.abs(mine[i] - theirs[i]));
              if (!Object.is(mine[i], theirs[i])) identical = false;
              if (mine[i] > mine[face * LABELS + a]) a = j;
              if (theirs[i] > theirs[face * LABELS + b]) b = j;
            }
            if (a !== b) labelsDiffer++;
          }
          return [cpu, { faces, maxAbsDiff, identical, labelsDiffer }];
        }),
      );
      return [model, perCpu];
    }),
  );
  const versus = int8VsFloat(runs);
  thisHost = {
    cpu: hostCpu(),
    n: runs[INT8].n,
    node: runs[INT8].node,
    onnxruntime: runs[INT8].onnxruntime,
    models: Object.fromEntries(MODELS.map((model) => [model, runs[model].modes])),
    int8VsFloat: versus,
    logitsVsEmulated: logits,
  };
} else {
  const why = join(args.run, 'host-skipped.txt');
  thisHost = { skipped: existsSync(why) ? readFileSync(why, 'utf8').trim() : 'not run' };
}

const fromManifest = Object.fromEntries(
  MODELS.map((model) => {
    const accuracy = manifest.models?.[model]?.accuracy ?? {};
    const describe = (a) => (a === undefined ? undefined : { accuracy: a.accuracy, n: a.n, cpu: a.cpu });
    return [model, { plain: describe(accuracy.publicTest), flip: describe(accuracy.publicTestFlipTta) }];
  }),
);

const ok = cpus.every((c) => c.ok);
const seconds = (s) => (s === undefined ? undefined : Number(s));
const report = {
  ok,
  dataset: { usage: 'PublicTest', n: cpus[0]?.n, limit: limit > 0 ? limit : undefined },
  emulator: args.emulator,
  settings: { intraOpThreads: 1, batchSize: 64, graphOptimization: 'all' },
  note: "ms per face is emulation time: it says nothing about a Raspberry Pi's speed",
  tolerancePoints: 100 * TOLERANCE,
  cpus,
  thisHost,
  manifest: fromManifest,
  seconds: { setup: seconds(args['setup-seconds']), evaluation: seconds(args['eval-seconds']) },
};

if (args.json) {
  console.log(JSON.stringify(report, null, 2));
  process.exit(ok ? 0 : 1);
}

const pct = (a) => (a === undefined ? '-' : `${(100 * a).toFixed(2)}%`);
const ms = (m) => (m >= 100 ? m.toFixed(0) : m.toFixed(1));
const pts = (p) => `${p >= 0 ? '+' : ''}${p.toFixed(2)} pt`;
const verdict = (versus) =>
  MODES.every((m) => versus[m].ok)
    ? 'yes, both modes'
    : `NO (${MODES.filter((m) => !versus[m].ok)
        .map((m) => (m === 'plain' ? 'no flip' : 'flip-TTA'))
        .join(', ')})`;
const header = (withMs) =>
  `  ${'model'.padEnd(20)} ${'no flip'.padStart(9)} ${'flip-TTA'.padStart(9)}${withMs ? ` ${'ms/face no flip'.padStart(16)} ${'ms/face flip-TTA'.padStart(17)}` : ''}`;
const row = (model, modes, withMs) =>
  `  ${model.padEnd(20)} ${pct(modes.plain?.accuracy).padStart(9)} ${pct(modes.flip?.accuracy).padStart(9)}${
    withMs ? ` ${ms(modes.plain.msPerFace).padStart(16)} ${ms(modes.flip.msPerFace).padStart(17)}` : ''
  }`;
const difference = (versus) =>
  `  ${'int8 - float'.padEnd(20)} ${pts(versus.plain.points).padStart(9)} ${pts(versus.flip.points).padStart(9)}   int8 within 1 point of float: ${verdict(versus)}`;

const first = cpus[0];
const lines = [
  `FER-2013 PublicTest, ${first?.n ?? 0} faces${limit > 0 ? ` (the first ${limit}: --limit)` : ''}; onnxruntime-node ${first?.onnxruntime ?? '?'} on Node ${first?.node ?? '?'} arm64 under ${args.emulator}; one intra-op thread, batches of 64.`,
  "ms per face is emulation time: it says nothing about a Raspberry Pi's speed, only the accuracies carry over.",
];
for (const c of cpus) {
  const f = c.cpuFeatures;
  const features =
    f === undefined ? 'HWCAP unknown' : `HWCAP ${['asimd', 'dotprod', 'i8mm'].map((x) => (f[x] ? x : `no ${x}`)).join(', ')}`;
  lines.push('', `${c.cpu}${c.like === undefined ? '' : ` (like the ${c.like})`}: ${features}`, header(true));
  for (const model of MODELS) lines.push(row(model, c.models[model], true));
  lines.push(difference(c.int8VsFloat));
}
lines.push('');
if (thisHost.skipped !== undefined) {
  lines.push(`this host: not evaluated (${thisHost.skipped})`);
} else {
  lines.push(
    `this host, ${thisHost.cpu}, the same ${thisHost.n} faces (onnxruntime-node ${thisHost.onnxruntime}, Node ${thisHost.node}):`,
    header(true),
  );
  for (const model of MODELS) lines.push(row(model, thisHost.models[model], true));
  lines.push(difference(thisHost.int8VsFloat));
}
const manifestCpu = fromManifest[INT8].plain?.cpu;
lines.push(
  '',
  `from ${args.manifest}${manifestCpu === undefined ? '' : ` (${manifestCpu.arch} ${manifestCpu.model}, ${manifestCpu.int8Kernels})`}, all ${fromManifest[INT8].plain?.n ?? '?'} faces${limit > 0 ? ' (not the same faces as above)' : ''}:`,
  header(false),
);
for (const model of MODELS) lines.push(row(model, fromManifest[model], false));
if (thisHost.logitsVsEmulated !== undefined) {
  lines.push('', 'logits, this host vs arm64 (no flip, every face above): max |difference|, faces whose label differs');
  for (const model of MODELS) {
    const parts = cpuNames.map((cpu) => {
      const d = thisHost.logitsVsEmulated[model][cpu];
      return `${cpu} ${d.identical ? '0 (bit-identical)' : d.maxAbsDiff.toPrecision(3)}, ${d.labelsDiffer} of ${d.faces}`;
    });
    lines.push(`  ${model.padEnd(20)} ${parts.join('; ')}`);
  }
}
if (report.seconds.setup !== undefined || report.seconds.evaluation !== undefined) {
  lines.push('', `time: setup ${report.seconds.setup ?? '?'} s, evaluation ${report.seconds.evaluation ?? '?'} s`);
}
lines.push(
  ok
    ? 'OK: the int8 model is within 1 point of the float model on every emulated CPU, with and without flip-TTA.'
    : 'FAILED: the int8 model is more than 1 point below the float model on an emulated CPU (see above).',
);
console.log(lines.join('\n'));
process.exit(ok ? 0 : 1);
