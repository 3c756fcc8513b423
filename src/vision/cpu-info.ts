import { readFileSync } from 'node:fs';

/**
 * What the CPU offers onnxruntime's int8 kernels. They differ by instruction set: on x86-64
 * without VNNI the uint8 x int8 kernels add pairs of products in 16-bit registers, which saturate
 * unless the weights use 7 bits; VNNI (AVX512 or AVX) and arm64's kernels do not saturate.
 */
export interface CpuInfo {
  /** `process.arch`: `x64`, `arm64`, … */
  readonly arch: string;
  /** The model name /proc/cpuinfo gives (`AMD EPYC`, `Cortex-A72` from its part number), or `unknown`. */
  readonly model: string;
  /** The int8 kernel family onnxruntime picks on this CPU. */
  readonly int8Kernels: Int8Kernels;
  /** The flags that decide it, as /proc/cpuinfo spells them (e.g. `avx2`, `avx512_vnni`, `asimddp`). */
  readonly features: readonly string[];
}

export type Int8Kernels =
  'x86-avx512-vnni' | 'x86-avx-vnni' | 'x86-avx512' | 'x86-avx2' | 'x86-sse' | 'arm64-dotprod' | 'arm64-neon' | 'other';

/** The flags that matter to int8 inference, in the order they are reported. */
const RELEVANT = ['avx2', 'avx512f', 'avx512bw', 'avx512_vnni', 'avx_vnni', 'amx_int8', 'asimd', 'asimddp', 'i8mm'] as const;

/** ARM part numbers of the cores Moodbox is installed on (Pi 4, Pi 5, Jetson). */
const ARM_PARTS: Readonly<Record<string, string>> = {
  '0xd03': 'Cortex-A53',
  '0xd07': 'Cortex-A57',
  '0xd08': 'Cortex-A72',
  '0xd0b': 'Cortex-A76',
  '0xd42': 'Cortex-A78AE',
  '0xd41': 'Cortex-A78',
};

/**
 * Reads the CPU's int8-relevant features. Pure given its inputs: `cpuinfo` is the text of
 * /proc/cpuinfo (read when omitted; empty when it cannot be read), `arch` is `process.arch`.
 */
export function cpuInfo(cpuinfo?: string, arch: string = process.arch): CpuInfo {
  const text = cpuinfo ?? readCpuinfo();
  const first = text.split(/\n\s*\n/)[0] ?? '';
  const field = (name: string): string | undefined => new RegExp(`^${name}\\s*:\\s*(.*)$`, 'mi').exec(first)?.[1]?.trim();
  const flags = new Set((field('flags') ?? field('Features') ?? '').split(/\s+/).filter(Boolean));
  const features = RELEVANT.filter((f) => flags.has(f));
  const part = field('CPU part')?.toLowerCase();
  const model = field('model name') ?? (part !== undefined ? (ARM_PARTS[part] ?? `ARM part ${part}`) : undefined) ?? 'unknown';
  return { arch, model, int8Kernels: kernelsOf(arch, flags), features };
}

function kernelsOf(arch: string, flags: ReadonlySet<string>): Int8Kernels {
  if (arch === 'x64') {
    if (flags.has('avx512_vnni')) return 'x86-avx512-vnni';
    if (flags.has('avx_vnni')) return 'x86-avx-vnni';
    if (flags.has('avx512bw')) return 'x86-avx512';
    if (flags.has('avx2')) return 'x86-avx2';
    return 'x86-sse';
  }
  if (arch === 'arm64') return flags.has('asimddp') ? 'arm64-dotprod' : 'arm64-neon';
  return 'other';
}

/** One line for logs and reports: `AMD EPYC (x64, x86-avx2: avx2)`. */
export function describeCpu(cpu: CpuInfo): string {
  return `${cpu.model} (${cpu.arch}, ${cpu.int8Kernels}${cpu.features.length > 0 ? `: ${cpu.features.join(' ')}` : ''})`;
}

function readCpuinfo(): string {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return '';
  }
}
