import type * as OnnxRuntime from 'onnxruntime-node';

/**
 * onnxruntime-node, with its telemetry off. From 1.29 on, the runtime's Linux builds keep a device
 * id under `~/.cache/Microsoft/DeveloperTools/.onnxruntime` and report the process to Microsoft
 * when the first session is made, unless `ORT_DISABLE_TELEMETRY` is set before the library loads.
 * Moodbox sends nothing of the room anywhere, so every part of it loads the runtime through here.
 */
export async function loadOnnxRuntime(): Promise<typeof OnnxRuntime> {
  process.env['ORT_DISABLE_TELEMETRY'] = '1';
  return import('onnxruntime-node');
}
