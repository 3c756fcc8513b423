import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGREEMENT_SAMPLE_FILE } from '../int8-agreement.js';

const MODELS = join(import.meta.dirname, '..', '..', '..', 'models');

/**
 * The shipped int8 model beside a float model that reads faces differently, in a temporary folder:
 * the float file is the real one, but its manifest swaps the happy and sad labels, so the two
 * disagree on every CPU. Returns the int8 model's path.
 */
export function disagreeingPair(): string {
  const dir = mkdtempSync(join(tmpdir(), 'moodbox-int8-'));
  const manifest = JSON.parse(readFileSync(join(MODELS, 'manifest.json'), 'utf8')) as { models: Record<string, { labels: string[] }> };
  const float = manifest.models['emotion-float.onnx'];
  if (float === undefined) throw new Error('no float model in the manifest');
  float.labels = float.labels.map((l) => (l === 'happy' ? 'sad' : l === 'sad' ? 'happy' : l));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  for (const f of ['emotion-int8.onnx', 'emotion-float.onnx', AGREEMENT_SAMPLE_FILE]) copyFileSync(join(MODELS, f), join(dir, f));
  return join(dir, 'emotion-int8.onnx');
}
