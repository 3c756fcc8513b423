/*
 * Preloaded into a process (scripts/avx2-only.sh), makes its CPU answer as one with AVX2 but without
 * AVX-512 or VNNI (AVX-512 VNNI, AVX-VNNI), so that onnxruntime and OpenCV pick the kernels they
 * would pick on such a CPU (most kiosk PCs, older NUCs and AMD Zen 2): the AVX2 int8 kernels, which
 * add pairs of products in 16-bit registers, and the AVX2 float and image code.
 *
 * How: the kernel's CPUID faulting (arch_prctl ARCH_SET_CPUID, /proc/cpuinfo flag `cpuid_fault`)
 * turns each CPUID instruction into a SIGSEGV; the handler runs the instruction with faulting
 * briefly off, clears the AVX-512, VNNI and AMX bits of leaf 7 and steps over it. Threads inherit
 * the setting, exec resets it. Libraries read the CPU's features once, when they load, so the
 * kernels then run at full speed. Node resets every signal handler at start and installs its own
 * for SIGSEGV (WebAssembly's guard pages): `sigaction` is wrapped so that theirs run after this one.
 */
#define _GNU_SOURCE
#include <asm/prctl.h>
#include <cpuid.h>
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

typedef int (*sigaction_fn)(int, const struct sigaction *, struct sigaction *);

static struct sigaction next_in_line;
static int installed;

static long cpuid_faulting(int faulting) { return syscall(SYS_arch_prctl, ARCH_SET_CPUID, faulting ? 0 : 1); }

static void without_avx512_or_vnni(unsigned leaf, unsigned sub, unsigned *a, unsigned *b, unsigned *c, unsigned *d) {
  if (leaf == 7 && sub == 0) {
    /* AVX512F, DQ, IFMA, PF, ER, CD, BW, VL */
    *b &= ~(1u << 16 | 1u << 17 | 1u << 21 | 1u << 26 | 1u << 27 | 1u << 28 | 1u << 30 | 1u << 31);
    /* AVX512_VBMI, VBMI2, VNNI, BITALG, VPOPCNTDQ */
    *c &= ~(1u << 1 | 1u << 6 | 1u << 11 | 1u << 12 | 1u << 14);
    /* AVX512_4VNNIW, 4FMAPS, VP2INTERSECT, AMX_BF16, AVX512_FP16, AMX_TILE, AMX_INT8 */
    *d &= ~(1u << 2 | 1u << 3 | 1u << 8 | 1u << 22 | 1u << 23 | 1u << 24 | 1u << 25);
  } else if (leaf == 7 && sub == 1) {
    /* AVX_VNNI, AVX512_BF16, AVX_IFMA */
    *a &= ~(1u << 4 | 1u << 5 | 1u << 23);
    /* AVX_VNNI_INT8, AVX_NE_CONVERT, AVX_VNNI_INT16, AVX10 */
    *d &= ~(1u << 4 | 1u << 5 | 1u << 10 | 1u << 19);
  }
}

static void on_segv(int sig, siginfo_t *info, void *context) {
  greg_t *r = ((ucontext_t *)context)->uc_mcontext.gregs;
  const unsigned char *ip = (const unsigned char *)r[REG_RIP];
  if (info->si_code == SI_KERNEL && ip[0] == 0x0f && ip[1] == 0xa2) {
    unsigned leaf = (unsigned)r[REG_RAX], sub = (unsigned)r[REG_RCX], a, b, c, d;
    cpuid_faulting(0);
    __cpuid_count(leaf, sub, a, b, c, d);
    cpuid_faulting(1);
    without_avx512_or_vnni(leaf, sub, &a, &b, &c, &d);
    r[REG_RAX] = a;
    r[REG_RBX] = b;
    r[REG_RCX] = c;
    r[REG_RDX] = d;
    r[REG_RIP] += 2;
    return;
  }
  if (next_in_line.sa_flags & SA_SIGINFO) {
    next_in_line.sa_sigaction(sig, info, context);
  } else if (next_in_line.sa_handler != SIG_DFL && next_in_line.sa_handler != SIG_IGN) {
    next_in_line.sa_handler(sig);
  } else {
    signal(SIGSEGV, SIG_DFL); /* a real fault: it happens again on return, and ends the process */
  }
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old) {
  static sigaction_fn real;
  if (real == NULL) real = (sigaction_fn)dlsym(RTLD_NEXT, "sigaction");
  if (sig != SIGSEGV || !installed) return real(sig, act, old);
  if (old != NULL) *old = next_in_line;
  if (act != NULL) next_in_line = *act;
  return 0;
}

__attribute__((constructor)) static void start(void) {
  struct sigaction mine;
  memset(&mine, 0, sizeof mine);
  mine.sa_sigaction = on_segv;
  mine.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigemptyset(&mine.sa_mask);
  sigaction(SIGSEGV, &mine, &next_in_line);
  installed = 1;
  if (cpuid_faulting(1) != 0) {
    perror("avx2-only: this CPU or kernel cannot fault on CPUID (arch_prctl ARCH_SET_CPUID)");
    exit(70);
  }
}
