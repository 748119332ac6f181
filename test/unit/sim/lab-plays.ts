// The scripted runs of the issue-13 presets (build-cluster, qdevice-vm-trap, not-a-backup) and a
// small player: shared by scenarios-labs.test.ts and the "played well" table of scenarios.test.ts.
import { createCluster, step } from '../../../src/sim/index';
import { buildClusterConfig, getScenario } from '../../../src/sim/scenarios';
import { checkObjectives } from '../../../src/sim/objectives';
import type { ClusterState, SimEvent } from '../../../src/sim/types';

/** `[at, node, line]`, or `[at, node, 'nano FILE', edit]`: the editor opens on the file and `edit`
 * turns its text into what the student saves (an `edit` input). */
export type Script = [number, string, string, ((text: string) => string)?][];

/** Runs one line of a script: the command, then the save when the line opened the editor. */
export function typeLine(s: ClusterState, at: number, node: string, line: string, edit?: (text: string) => string) {
  const r = step(s, { type: 'command', at, node, line });
  if (!edit || !r.command?.edit) return r;
  const saved = step(s, { type: 'edit', at, node, path: r.command.edit.path, text: edit(r.command.edit.text) });
  return { ...saved, events: [...r.events, ...saved.events] };
}

/** Runs a preset on the course timing for `ms`, typing the script's commands at their times. */
export function play(id: string, ms: number, script: Script = []) {
  const sc = getScenario(id)!;
  const s = createCluster(buildClusterConfig(sc, { timing: 'course', voteMode: 'auto' }), id);
  step(s, { type: 'schedule', at: 0, faults: sc.timeline });
  const events: SimEvent[] = [];
  const outputs: { at: number; node: string; line: string; exitCode: number; output: string }[] = [];
  let next = 0;
  for (let t = 1000; t <= ms; t += 1000) {
    events.push(...step(s, { type: 'tick', at: t }).events);
    while (next < script.length && script[next]![0] <= t) {
      const [, node, line, edit] = script[next++]!;
      const r = typeLine(s, t, node, line, edit);
      events.push(...r.events);
      outputs.push({ at: t, node, line, exitCode: r.command?.exitCode ?? -1, output: r.command?.output ?? '' });
    }
  }
  const results = checkObjectives(sc, events, s);
  return { sc, s, events, outputs, met: results.filter((r) => r.met).map((r) => r.id), unmet: results.filter((r) => !r.met).map((r) => r.id) };
}

export const LAB_PLAYS: Record<string, Script> = {
  'build-cluster': [
    [10_000, 'pve1', 'pvecm create salle-b'],
    [20_000, 'pve2', 'pvecm add 10.0.10.11'],
    [30_000, 'pve3', 'vzdump 300 --storage backup'],
    [31_000, 'pve3', 'qm destroy 300'],
    [35_000, 'pve3', 'pvecm add 10.0.10.11'],
    [45_000, 'pve4', 'echo "10.0.10.14 pve4.lab.local pve4" > /etc/hosts'],
    [50_000, 'pve4', 'pvecm add 10.0.10.11'],
    [60_000, 'qnetd', 'apt install corosync-qnetd'],
    [61_000, 'pve1', 'apt install corosync-qdevice'],
    [61_000, 'pve2', 'apt install corosync-qdevice'],
    [61_000, 'pve3', 'apt install corosync-qdevice'],
    [61_000, 'pve4', 'apt install corosync-qdevice'],
    [70_000, 'pve1', 'pvecm qdevice setup 10.0.10.50'],
    [75_000, 'pve3', 'pvecm status'],
  ],
  'qdevice-vm-trap': [
    [145_000, 'pve2', 'pvecm status'],
    [330_000, 'pve1', 'pvecm qdevice remove'],
    [335_000, 'pve1', 'pvecm qdevice setup 10.0.10.50'],
  ],
  'network-design': [
    [100_000, 'pve1', 'corosync-cfgtool -s'],
    // VLAN 20 flows again and the cluster re-formed: add link1 on VLAN 10, preferred, version up.
    [200_000, 'pve1', 'nano /etc/pve/corosync.conf', addVlan10Link],
    [210_000, 'pve2', 'corosync-cfgtool -s'],
  ],
  'not-a-backup': [
    [60_000, 'pve2', 'vzdump 101 --storage backup'],
    [200_000, 'pve2', 'ha-manager set vm:101 --state stopped'],
    [210_000, 'pve2', 'pvesm list backup'],
    [211_000, 'pve2', 'qmrestore vzdump-qemu-101-2026_03_03-10_01_00.vma.zst 101 --force'],
    [215_000, 'pve2', 'ha-manager set vm:101 --state started'],
  ],
};


/** The network-design fix as a student types it: ring1_addr on VLAN 10 for each node, link 1
 * preferred (knet_link_priority 10 > the default 1), config_version raised. */
export function addVlan10Link(text: string): string {
  return text
    .replace(/( *)ring0_addr: 10\.0\.20\.1(\d)/g, (m, sp: string, d: string) => `${m}\n${sp}ring1_addr: 10.0.10.1${d}`)
    .replace(/config_version: (\d+)/, (_, v: string) => `config_version: ${Number(v) + 1}`)
    .replace('  interface {\n    linknumber: 0\n  }', '  interface {\n    linknumber: 0\n  }\n  interface {\n    linknumber: 1\n    knet_link_priority: 10\n  }');
}
