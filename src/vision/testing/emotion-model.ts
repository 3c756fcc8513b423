import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FER_LABELS } from '../fer-csv.js';
import { MANIFEST_FILE } from '../model-manifest.js';

const MODELS_DIR = join(import.meta.dirname, '..', '..', '..', 'models');

/**
 * The emotion model tests read real faces with: the int8 model when installed, else the float
 * one. When `models/manifest.json` has no entry for it yet, the model is linked into a temporary
 * folder with a manifest describing the training pipeline's contract (models/README.md).
 * Undefined when no model file exists at all.
 */
export function stageEmotionModel(): { path: string; cleanup(): void } | undefined {
  const file = ['emotion-int8.onnx', 'emotion-float.onnx'].find((f) => existsSync(join(MODELS_DIR, f)));
  if (file === undefined) return undefined;
  const manifestPath = join(MODELS_DIR, MANIFEST_FILE);
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { models?: Record<string, unknown> };
    if (manifest.models?.[file] !== undefined) return { path: join(MODELS_DIR, file), cleanup: () => {} };
  }
  const dir = mkdtempSync(join(tmpdir(), 'moodbox-model-'));
  symlinkSync(join(MODELS_DIR, file), join(dir, file));
  const sha256 = createHash('sha256')
    .update(readFileSync(join(MODELS_DIR, file)))
    .digest('hex');
  const entry = {
    sha256,
    input: { name: 'input', shape: ['N', 1, 48, 48], layout: 'NCHW', type: 'float32', normalisation: { scale: 255, mean: 0.5, std: 0.25 } },
    output: { name: 'logits', shape: ['N', FER_LABELS.length], type: 'float32', kind: 'logits' },
    labels: FER_LABELS,
    flipTta: false,
    provenance: 'scripts/model (test staging)',
    licence: 'test only',
  };
  writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify({ models: { [file]: entry } }));
  return { path: join(dir, file), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
