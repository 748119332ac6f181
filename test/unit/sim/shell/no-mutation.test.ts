// The shell never changes the cluster state by itself: it parses, calls a named rule action
// (src/sim/rules/) and prints. The scan (state-writes.mjs) reads src/sim/shell/*.ts with the
// TypeScript checker and fails on any assignment, `delete`, `++`/`--` or mutating call whose target
// is (part of) a state object — a value whose type is declared in src/sim/types.ts (ClusterState,
// NodeRuntime, CfsDb, VmRuntime, HaService…) — and on any direct call of `emit` or `cfsCommit`.
import { describe, expect, it } from 'vitest';
import { findMutations, SHELL, shellFiles } from './state-writes.mjs';

describe('the shell never mutates state by itself', () => {
  it('no file under src/sim/shell assigns to, deletes from or pushes into the cluster state, nor emits', () => {
    const files = shellFiles();
    expect(files.length).toBeGreaterThan(10);
    expect(findMutations(files)).toEqual([]);
  }, 60_000);

  it('the check catches each kind of write (a planted file)', () => {
    const planted = `${SHELL}/__planted__.ts`;
    const text = [
      "import type { Sh } from './common.js';",
      "import { emit } from '../kernel.js';",
      "import { cfsCommit } from '../rules/pmxcfs.js';",
      'export function bad(sh: Sh): void {',
      '  sh.s.storageUp = false;',
      '  sh.n.cfs.vms["100"]!.node = "pve2";',
      '  delete sh.s.vms["100"];',
      '  sh.s.seq++;',
      "  sh.n.cfs.maintenance.push('pve1');",
      '  const rt = sh.s.vms["100"]!;',
      '  rt.ioError = true;',
      '  Object.assign(sh.n.cfs.ha["vm:100"]!, { node: "pve3" });',
      "  emit(sh.c, { type: 'clock-synced', node: 'pve1' });",
      "  cfsCommit(sh.c, sh.node, 'x', 'y', () => {});",
      '  const local: string[] = [];',
      "  local.push('fine');",
      '}',
    ].join('\n');
    const found = findMutations([`${SHELL}/common.ts`], { path: planted, text }).filter((l: string) => l.includes('__planted__'));
    expect(found.map((l: string) => l.split(': ').slice(1).join(': '))).toEqual([
      'sh.s.storageUp = false',
      'sh.n.cfs.vms["100"]!.node = "pve2"',
      'delete sh.s.vms["100"]',
      'sh.s.seq++',
      "sh.n.cfs.maintenance.push('pve1')",
      'rt.ioError = true',
      'Object.assign(sh.n.cfs.ha["vm:100"]!, { node: "pve3" })',
      "emit(sh.c, { type: 'clock-synced', node: 'pve1' })",
      "cfsCommit(sh.c, sh.node, 'x', 'y', () => {})",
    ]);
  }, 60_000);
});
