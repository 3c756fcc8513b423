import { readdirSync, readFileSync } from 'node:fs';

/** What Linux says of a running process (from /proc), for the benchmark and soak scripts and the memory guard. */

/** Resident memory of `pid` in KiB; 0 when the process is gone. */
export function rssKiB(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Peak resident memory of `pid` in KiB; 0 when the process is gone. */
export function peakRssKiB(pid: number): number {
  try {
    return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/**
 * CPU time `pid` has used so far, user and system (s); 0 when the process is gone. Linux counts it
 * in clock ticks of 1/100 s (`USER_HZ`, fields 14 and 15 of `/proc/PID/stat`).
 */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command's name, in brackets, may hold spaces: the fields are counted after it (the state is field 3).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Open file descriptors of `pid`; 0 when the process is gone. */
export function openFiles(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return 0;
  }
}

/** The direct child of `pid` running the program `name` (e.g. `mpv`), if any. */
export function childNamed(pid: number, name: string): number | undefined {
  let children: number[];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return undefined;
  }
  return children.find((child) => {
    try {
      return readFileSync(`/proc/${child}/comm`, 'utf8').trim() === name;
    } catch {
      return false;
    }
  });
}

/** KiB to MiB, one decimal. */
export function mib(kib: number): number {
  return Math.round((kib / 1024) * 10) / 10;
}

/** Resident memory (bytes) of the child of `pid` running `name`, or undefined when none runs. */
export function childRssBytes(pid: number, name: string): number | undefined {
  const child = childNamed(pid, name);
  const kib = child === undefined ? 0 : rssKiB(child);
  return kib === 0 ? undefined : kib * 1024;
}
