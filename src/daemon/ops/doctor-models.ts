/**
 * `moodbox doctor`'s checks of the vision models: the emotion model against its manifest, its int8
 * kernels on this CPU, and the face detector's model.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { installPath } from '../config/paths.js';
import type { Config } from '../config/schema.js';
import type { Check, DoctorEnv } from './doctor-check.js';
import { parseJson } from '../../kernel/json.js';

/** The model's file and manifest, then (when they are sound) whether its int8 kernels hold on this CPU. */
export async function modelChecks(config: Config, ctx: DoctorEnv): Promise<Check[]> {
  const model = checkModel(config, ctx);
  return [...(model.status === 'ok' ? [model, await checkInt8(config, ctx)] : [model]), await checkDetector(config, ctx)];
}

function checkModel(config: Config, ctx: DoctorEnv): Check {
  const name = 'model';
  const path = installPath(config.vision.modelPath, ctx.installDir);
  if (!existsSync(path)) {
    return {
      name,
      status: 'fail',
      message: `emotion model ${path} is missing; the room mood cannot be read`,
      fix: 'reinstall Moodbox, or set vision.modelPath to the model file',
    };
  }
  const manifestPath = join(dirname(path), 'manifest.json');
  let manifest: { models?: Record<string, { sha256?: string }> };
  try {
    manifest = parseJson(readFileSync(manifestPath, 'utf8')) as typeof manifest;
  } catch {
    return {
      name,
      status: 'fail',
      message: `no readable manifest.json beside ${path}`,
      fix: 'the model and its manifest.json must be installed together',
    };
  }
  const file = path.slice(dirname(path).length + 1);
  const expected = manifest.models?.[file]?.sha256;
  const actual = createHash('sha256').update(readFileSync(path)).digest('hex');
  if (expected !== actual) {
    return {
      name,
      status: 'fail',
      message: `${file} does not match its manifest (sha256 ${actual.slice(0, 12)}…, expected ${expected?.slice(0, 12) ?? 'none'}…)`,
      fix: 'reinstall the model files',
    };
  }
  return { name, status: 'ok', message: `${file} matches its manifest` };
}

/** The configured face detector's model: YuNet's file (checked against its sha256), or the Haar cascade. */
async function checkDetector(config: Config, ctx: DoctorEnv): Promise<Check> {
  const name = 'detector';
  if (config.vision.detector === 'haar') {
    return existsSync(config.vision.cascadePath)
      ? { name, status: 'ok', message: `Haar cascade ${config.vision.cascadePath}` }
      : {
          name,
          status: 'fail',
          message: `the Haar cascade ${config.vision.cascadePath} is missing`,
          fix: 'apt install opencv-data, or set vision.cascadePath, or vision.detector to "yunet"',
        };
  }
  const { YUNET_MODEL_FILE, YUNET_SHA256 } = await import('../../vision/yunet-face-detector.js');
  const path = join(ctx.installDir, 'models', YUNET_MODEL_FILE);
  if (!existsSync(path)) {
    return {
      name,
      status: 'fail',
      message: `the YuNet face detector ${path} is missing`,
      fix: 'reinstall Moodbox, or set vision.detector to "haar"',
    };
  }
  const actual = createHash('sha256').update(readFileSync(path)).digest('hex');
  return actual === YUNET_SHA256
    ? { name, status: 'ok', message: `YuNet ${YUNET_MODEL_FILE} (sha256 checked)` }
    : {
        name,
        status: 'fail',
        message: `${YUNET_MODEL_FILE} is not the YuNet build Moodbox ships (sha256 ${actual.slice(0, 12)}…)`,
        fix: 'reinstall the model files',
      };
}

/**
 * Whether the int8 emotion model reads faces as its float original does on this CPU (onnxruntime's
 * int8 kernels differ between CPUs). Skipped for a float model or a missing one (`model` says so).
 */
async function checkInt8(config: Config, ctx: DoctorEnv): Promise<Check> {
  const name = 'int8';
  const path = installPath(config.vision.modelPath, ctx.installDir);
  try {
    const [{ checkInt8Agreement, describeAgreement, floatOriginal }, { OnnxEmotionClassifier }, { cpuInfo, describeCpu }] =
      await Promise.all([
        import('../../vision/int8-agreement.js'),
        import('../../vision/onnx-emotion-classifier.js'),
        import('../../vision/cpu-info.js'),
      ]);
    if ((await floatOriginal(path)) === undefined) {
      return { name, status: 'ok', message: `${path} is not an int8 model: nothing to compare on ${describeCpu(cpuInfo())}` };
    }
    const agreement = await checkInt8Agreement({
      int8Model: path,
      open: (modelPath) => new OnnxEmotionClassifier({}, { modelPath, flipTta: false }),
    });
    if (agreement.ok) return { name, status: 'ok', message: describeAgreement(agreement) };
    const action =
      config.vision.int8Check === 'fallback'
        ? 'Moodbox runs the float model instead (about 3x slower per face)'
        : 'Moodbox runs it anyway (vision.int8Check is not "fallback"): expect poorer mood readings';
    return {
      name,
      status: 'warn',
      message: `${describeAgreement(agreement)}; ${action}`,
      fix: 'reinstall the models (a current Moodbox ships 7-bit int8 weights that hold on every CPU), or set vision.modelPath to models/emotion-float.onnx',
    };
  } catch (err) {
    // The model check above already reports a missing or mismatched model.
    return { name, status: 'warn', message: `int8 model not checked: ${(err as Error).message}` };
  }
}
