// What the load benchmark reads of a dev server's workerd processes in /proc: CPU time (user +
// system, 10 ms ticks), RSS, and CPU time per thread (locally, every object's JavaScript runs on one).
import { readFileSync, readdirSync } from 'node:fs';

const USER_HZ = 100;
/** The fields of a /proc stat line after the command name (field 3 of stat is index 0). */
const statFields = (path: string) => {
  const stat = readFileSync(path, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
};
const cpuMsOf = (f: string[]) => ((Number(f[11]) + Number(f[12])) * 1000) / USER_HZ;

/** The workerd processes of one process group (one dev server). */
function workerdPids(pgid: number): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (Number(statFields(`/proc/${pid}/stat`)[2]) !== pgid) continue; // field 5 of stat: process group
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('workerd')) out.push(pid);
    } catch {
      /* process went away */
    }
  }
  return out;
}

export interface ProcSample {
  cpuMs: number;
  rssMb: number;
}

/** CPU (user + system) and RSS of every workerd process in one process group. */
export function sampleGroup(pgid: number): ProcSample {
  let cpuMs = 0;
  let rssKb = 0;
  for (const pid of workerdPids(pgid)) {
    try {
      cpuMs += cpuMsOf(statFields(`/proc/${pid}/stat`));
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) rssKb += Number(m[1]);
    } catch {
      /* process went away */
    }
  }
  return { cpuMs, rssMb: rssKb / 1024 };
}

/** CPU ms of each workerd thread of the group, by thread id. */
export function sampleThreads(pgid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const pid of workerdPids(pgid)) {
    try {
      for (const tid of readdirSync(`/proc/${pid}/task`)) out.set(tid, cpuMsOf(statFields(`/proc/${pid}/task/${tid}/stat`)));
    } catch {
      /* process went away */
    }
  }
  return out;
}

/** The busiest thread's CPU ms between two samples. */
export const busiestThread = (a: Map<string, number>, b: Map<string, number>) => Math.max(0, ...[...b].map(([tid, ms]) => ms - (a.get(tid) ?? 0)));
