import { describe, expect, it } from 'vitest';
import { cpuInfo, describeCpu } from './cpu-info.js';

const x86 = (flags: string) =>
  `processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC\nflags\t\t: fpu sse2 ${flags}\n\nprocessor\t: 1\nmodel name\t: other\n`;

describe('cpuInfo', () => {
  it('tells the x86 int8 kernel families apart by their flags', () => {
    expect(cpuInfo(x86('avx avx2 fma'), 'x64')).toEqual({ arch: 'x64', model: 'AMD EPYC', int8Kernels: 'x86-avx2', features: ['avx2'] });
    expect(cpuInfo(x86('avx2 avx512f avx512bw avx512_vnni'), 'x64').int8Kernels).toBe('x86-avx512-vnni');
    expect(cpuInfo(x86('avx2 avx_vnni'), 'x64').int8Kernels).toBe('x86-avx-vnni');
    expect(cpuInfo(x86('avx2 avx512f avx512bw'), 'x64').int8Kernels).toBe('x86-avx512');
    expect(cpuInfo(x86('sse4_2'), 'x64').int8Kernels).toBe('x86-sse');
  });

  it('names the Pi 4 and Pi 5 cores and whether they have dot-product instructions', () => {
    const pi4 = 'processor\t: 0\nBogoMIPS\t: 108.00\nFeatures\t: fp asimd evtstrm crc32 cpuid\nCPU part\t: 0xd08\n';
    const pi5 =
      'processor\t: 0\nFeatures\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp\nCPU part\t: 0xd0b\n';
    expect(cpuInfo(pi4, 'arm64')).toEqual({ arch: 'arm64', model: 'Cortex-A72', int8Kernels: 'arm64-neon', features: ['asimd'] });
    expect(cpuInfo(pi5, 'arm64')).toMatchObject({ model: 'Cortex-A76', int8Kernels: 'arm64-dotprod', features: ['asimd', 'asimddp'] });
  });

  it('copes with an unreadable /proc/cpuinfo', () => {
    expect(cpuInfo('', 'x64')).toEqual({ arch: 'x64', model: 'unknown', int8Kernels: 'x86-sse', features: [] });
    expect(describeCpu(cpuInfo(x86('avx2'), 'x64'))).toBe('AMD EPYC (x64, x86-avx2: avx2)');
  });
});
