// ha-manager: status, config, add, remove, set, migrate, relocate, crm-command node-maintenance.
import { crmMaster, nodeConfig, serviceId } from '../kernel.js';
import { SKEW_DANGER_MS } from '../rules/clock.js';
import { lrmActive } from '../rules/ha.js';
import {
  HA_CRM_COMMANDS,
  HA_RESOURCES,
  haAddResource,
  haLockRefused,
  haMoveService,
  haRemoveResource,
  haSetMaintenance,
  haUpdateResource,
} from '../rules/ha-config.js';
import { ctime, nodeClock, wallClock } from '../format.js';
import type { CrmServiceState, HaRequestedState, HaService, NodeName } from '../types.js';
import { groupAdd, groupRemove, groupSet, groupsCfg, resourceOpts } from './ha-groups.js';
import { HA_LOCK, HA_STALE_MS, hint, myPartition, optError, paramError, parseOpts, type Res, res, type Sh, STORAGE_ID } from './common.js';

// ---------------------------------------------------------------- ha-manager

export const HA_USAGE = [
  'USAGE: ha-manager <COMMAND> [ARGS] [OPTIONS]',
  '       ha-manager add <sid> [OPTIONS]',
  '       ha-manager config [OPTIONS]',
  '       ha-manager groupadd <group> --nodes <string> [OPTIONS]',
  '       ha-manager groupconfig',
  '       ha-manager groupremove <group>',
  '       ha-manager groupset <group> [OPTIONS]',
  '       ha-manager remove <sid>',
  '       ha-manager set <sid> [OPTIONS]',
  '       ha-manager migrate <sid> <node>',
  '       ha-manager relocate <sid> <node>',
  '       ha-manager crm-command node-maintenance enable <node>',
  '       ha-manager crm-command node-maintenance disable <node>',
  '       ha-manager status  [OPTIONS]',
  '',
  '       ha-manager help [<extra-args>] [OPTIONS]',
].join('\n');

export function parseSid(raw: string | undefined, usage: string): Res | { sid: string; vmid: number } {
  if (raw === undefined) return res(`400 not enough arguments\n${usage}`, 255);
  const m = /^(?:vm:)?(\d+)$/.exec(raw);
  if (!m) {
    if (/^ct:\d+$/.test(raw))
      return res(`containers are not part of this lab ('${raw}')\n` + hint('use vm:<ID>', 'utilisez vm:<ID>'), 255);
    return paramError('sid', `invalid format - unable to parse service ID '${raw}'`, usage);
  }
  const vmid = Number(m[1]);
  if (vmid < 100) return paramError('sid', `invalid format - unable to parse service ID '${raw}'`, usage);
  return { sid: serviceId(vmid), vmid };
}

export const REQ_STATES: Record<string, HaRequestedState> = {
  started: 'started',
  enabled: 'started',
  stopped: 'stopped',
  disabled: 'disabled',
  ignored: 'ignored',
};

export function stateParam(raw: string | undefined, usage: string): Res | HaRequestedState | undefined {
  if (raw === undefined) return undefined;
  const st = REQ_STATES[raw];
  if (!st)
    return paramError('state', `value '${raw}' does not have a value in the enumeration 'started, stopped, enabled, disabled, ignored'`, usage);
  return st;
}

export function haManager(sh: Sh, args: string[]): Res {
  const sub = args[0];
  const rest = args.slice(1);
  switch (sub) {
    case undefined:
      return res(`ERROR: no command specified\n${HA_USAGE}`, 255);
    case 'help':
      return res(HA_USAGE);
    case 'status': {
      const parsed = parseOpts(rest, { verbose: 'bool', v: 'bool' });
      if (parsed.error) return optError(parsed, 'ha-manager status  [OPTIONS]');
      return haStatus(sh);
    }
    case 'config':
      return res(
        Object.values(sh.n.cfs.ha)
          .sort((a, b) => a.vmid - b.vmid)
          .map((x) => [x.sid, ...resourceKeys(x).map(([k, v]) => `\t${k} ${v}`)].join('\n'))
          .join('\n'),
      );
    case 'groupadd':
      return groupAdd(sh, rest);
    case 'groupset':
      return groupSet(sh, rest);
    case 'groupremove':
      return groupRemove(sh, rest);
    case 'groupconfig': {
      const parsed = parseOpts(rest, {});
      if (parsed.error) return optError(parsed, 'ha-manager groupconfig');
      if (parsed.pos.length) return res('400 too many arguments\nha-manager groupconfig', 255);
      return res(groupsCfg(sh.n.cfs));
    }
    case 'add':
      return haAdd(sh, rest);
    case 'remove':
      return haRemove(sh, rest);
    case 'set':
      return haSet(sh, rest);
    case 'migrate':
    case 'relocate':
      return haMove(sh, sub, rest);
    case 'crm-command': {
      const what = rest[0];
      if (what === 'migrate' || what === 'relocate') return haMove(sh, what, rest.slice(1));
      if (what === 'node-maintenance') return haMaintenance(sh, rest.slice(1));
      return res(
        `ERROR: unknown command 'ha-manager crm-command${what ? ' ' + what : ''}'\nUSAGE: ha-manager crm-command <COMMAND> [ARGS] [OPTIONS]\n       ha-manager crm-command migrate <sid> <node>\n       ha-manager crm-command relocate <sid> <node>\n       ha-manager crm-command node-maintenance enable <node>\n       ha-manager crm-command node-maintenance disable <node>`,
        255,
      );
    }
    default:
      return res(`ERROR: unknown command 'ha-manager ${sub}'\n${HA_USAGE}`, 255);
  }
}

/** The arguments of `ha-manager add|set`: one service id, `--state` and the resource options. */
function resourceArgs(sh: Sh, args: string[], kind: 'add' | 'set') {
  const usage = `ha-manager ${kind} <sid> [OPTIONS]`;
  const spec = { state: 'string', group: 'string', comment: 'string', max_restart: 'string', max_relocate: 'string' } as const;
  const parsed = parseOpts(args, kind === 'set' ? { ...spec, delete: 'string' } : spec);
  if (parsed.error) return optError(parsed, usage);
  const sid = parseSid(parsed.pos[0], usage);
  if ('output' in sid) return sid;
  if (parsed.pos.length > 1) return res(`400 too many arguments\n${usage}`, 255);
  const st = stateParam(parsed.opts.state, usage);
  if (st !== undefined && typeof st !== 'string') return st;
  // `set` checks the group exists (in this node's copy, before the lock); `add` does not.
  const more = resourceOpts(sh, parsed.opts, usage, kind === 'set');
  if ('output' in more) return more;
  return { sid, st, more, typedSid: parsed.pos[0] };
}

export function haAdd(sh: Sh, args: string[]): Res {
  const r = resourceArgs(sh, args, 'add');
  if ('output' in r) return r;
  const { sid, st, more } = r;
  const requested: HaRequestedState = st ?? 'started';
  const conf = sh.n.cfs.vms[String(sid.vmid)];
  if (!conf) return res(`resource '${sid.sid}' does not exist in cluster`, 255);
  if (!sh.n.quorate) {
    haLockRefused(sh.c, sh.node, HA_RESOURCES, `ha-manager add ${sid.sid}`);
    return res(HA_LOCK, 255);
  }
  if (sh.n.cfs.ha[sid.sid]) return res(`resource ID '${sid.sid}' already defined`, 255);
  haAddResource(sh.c, sh.node, sid.vmid, sid.sid, requested, more.patch, `ha-manager add ${sid.sid} --state ${requested}`);
  return res('');
}

export function haRemove(sh: Sh, args: string[]): Res {
  const usage = 'ha-manager remove <sid>';
  const parsed = parseOpts(args, {});
  if (parsed.error) return optError(parsed, usage);
  const sid = parseSid(parsed.pos[0], usage);
  if ('output' in sid) return sid;
  if (!sh.n.quorate) {
    haLockRefused(sh.c, sh.node, HA_RESOURCES, `ha-manager remove ${sid.sid}`);
    return res(HA_LOCK, 255);
  }
  if (!sh.n.cfs.ha[sid.sid]) return res(`no such resource '${sid.sid}'`, 255);
  haRemoveResource(sh.c, sh.node, sid.sid, `ha-manager remove ${sid.sid}`);
  return res('');
}

export function haSet(sh: Sh, args: string[]): Res {
  const r = resourceArgs(sh, args, 'set');
  if ('output' in r) return r;
  const typed = args.filter((a) => a !== r.typedSid).join(' ');
  return requestState(sh, r.sid.sid, r.st, `ha-manager set ${r.sid.sid}${typed ? ' ' + typed : ''}`, r.more);
}

export function requestState(
  sh: Sh,
  sid: string,
  st: HaRequestedState | undefined,
  what: string,
  more?: Exclude<ReturnType<typeof resourceOpts>, Res>,
): Res {
  if (!sh.n.quorate) {
    haLockRefused(sh.c, sh.node, HA_RESOURCES, what);
    return res(HA_LOCK, 255);
  }
  if (!sh.n.cfs.ha[sid]) return res(`no such resource '${sid}'`, 255);
  haUpdateResource(sh.c, sh.node, sid, { requested: st, patch: more?.patch, dels: more?.dels }, what);
  return res('');
}

/** The keys of a resource as `ha-manager config` and resources.cfg list them (sorted by name). */
export function resourceKeys(x: HaService): [string, string][] {
  const keys: [string, string | undefined][] = [
    ['group', x.group],
    ['max_relocate', x.maxRelocate?.toString()],
    ['max_restart', x.maxRestart?.toString()],
    ['state', x.requested],
  ];
  return keys.filter((k): k is [string, string] => k[1] !== undefined);
}

/** ha-manager migrate/relocate (and qm migrate of an HA guest). */
export function haMove(sh: Sh, kind: 'migrate' | 'relocate', args: string[]): Res {
  const { s, n, node } = sh;
  const usage = `ha-manager ${kind} <sid> <node>`;
  const sid = parseSid(args[0], usage);
  if ('output' in sid) return sid;
  const target = args[1];
  if (target === undefined) return res(`400 not enough arguments\n${usage}`, 255);
  if (args.length > 2) return res(`400 too many arguments\n${usage}`, 255);
  if (!nodeConfig(s, target)) return res(`no such cluster node '${target}'`, 255);
  const what = `ha-manager ${kind} ${sid.sid} ${target}`;
  if (!n.quorate) {
    haLockRefused(sh.c, node, HA_CRM_COMMANDS, what);
    return res(HA_LOCK, 255);
  }
  const svc = n.cfs.ha[sid.sid];
  if (!svc) return res(`no such resource '${sid.sid}'`, 255);
  if (svc.requested === 'ignored') return res(`service '${sid.sid}' is ignored by the HA stack - ${kind} not possible`, 255);
  if (svc.node === target) return res(`ignore crm command - service already on target node: ${kind} ${sid.sid} ${target}`);
  const { p } = myPartition(sh);
  if (!p.includes(target) || s.nodes[target]!.power !== 'on' || n.cfs.maintenance.includes(target))
    return res(`crm command error - node not online: ${kind} ${sid.sid} ${target}`, 255);
  if (svc.state !== 'started' && svc.state !== 'stopped')
    return res(`service '${sid.sid}' is busy (state '${svc.state}') - try again later`, 255);
  const conf = n.cfs.vms[String(sid.vmid)];
  const running = svc.state === 'started' && !!s.vms[String(sid.vmid)]?.runningOn.length;
  if (running && conf?.storage === 'local')
    return res(
      `service '${sid.sid}' - can't ${kind} VM with local disk '${STORAGE_ID.local}:vm-${sid.vmid}-disk-0'\n` +
        hint('only guests on shared storage can move without copying their disk', 'seules les VM sur stockage partagé peuvent changer de nœud sans copie'),
      255,
    );
  haMoveService(sh.c, node, sid.sid, target, kind, running, what);
  return res('');
}

export function haMaintenance(sh: Sh, args: string[]): Res {
  const { s, n } = sh;
  const usage = 'ha-manager crm-command node-maintenance enable|disable <node>';
  const action = args[0];
  if (action !== 'enable' && action !== 'disable') {
    if (action === undefined) return res(`400 not enough arguments\n${usage}`, 255);
    return res(`ERROR: unknown command 'ha-manager crm-command node-maintenance ${action}'\n${usage}`, 255);
  }
  const target = args[1];
  if (target === undefined) return res(`400 not enough arguments\n${usage}`, 255);
  if (args.length > 2) return res(`400 too many arguments\n${usage}`, 255);
  if (!nodeConfig(s, target)) return res(`no such cluster node '${target}'`, 255);
  const enable = action === 'enable';
  const what = `ha-manager crm-command node-maintenance ${action} ${target}`;
  if (!n.quorate) {
    haLockRefused(sh.c, sh.node, HA_CRM_COMMANDS, what);
    return res(HA_LOCK, 255);
  }
  if (n.cfs.maintenance.includes(target) === enable) return res('');
  haSetMaintenance(sh.c, sh.node, target, enable, what);
  return res('');
}

export function serviceText(x: HaService): string {
  if (x.requested === 'ignored') return 'ignored';
  if (x.requested === 'disabled' && x.state === 'stopped') return 'disabled';
  return x.state as CrmServiceState;
}

export function haStatus(sh: Sh): Res {
  const { s, n, node } = sh;
  const db = n.cfs;
  const lines: string[] = [n.quorate ? 'quorum OK' : `quorum No quorum on node '${node}'!`];
  const services = Object.values(db.ha).sort((a, b) => a.vmid - b.vmid);
  const drift = Math.abs(n.skewMs) > SKEW_DANGER_MS;
  if (services.length > 0 || db.maintenance.length > 0) {
    const { p } = myPartition(sh);
    const clock = nodeClock(s, node);
    const fresh = (w: NodeName) => n.quorate && p.includes(w) && s.nodes[w]!.power === 'on';
    const lastSeen = (w: NodeName): number => {
      if (fresh(w)) return s.now;
      if (!n.quorate) return n.lostQuorumAt ?? 0;
      const hn = db.haNodes[w];
      return hn?.lostAt ?? hn?.since ?? 0;
    };
    const stamp = (w: NodeName, mode: string) => {
      const ts = wallClock(lastSeen(w), s.nodes[w]?.skewMs ?? 0);
      const old = !fresh(w) || clock - ts > HA_STALE_MS;
      return old ? `old timestamp - dead?, ${ctime(ts)}` : `${mode}, ${ctime(ts)}`;
    };
    const names = s.config.nodes.map((x) => x.name).sort();
    const master = n.quorate ? crmMaster(p) : names[0]!;
    lines.push(`master ${master} (${stamp(master, services.length ? 'active' : 'idle')})`);
    for (const m of names) {
      const mode = db.maintenance.includes(m) ? 'maintenance mode' : lrmActive(s, db, m) ? 'active' : 'idle';
      lines.push(`lrm ${m} (${stamp(m, mode)})`);
    }
    for (const x of services) lines.push(`service ${x.sid} (${x.node}, ${serviceText(x)})`);
  }
  if (drift) {
    const sec = Math.round(n.skewMs / 1000);
    lines.push(
      `detected time drift! local clock is ${Math.abs(sec)} s ${sec > 0 ? 'ahead' : 'behind'}\n` +
        hint('synchronize the clock: systemctl restart chrony', "resynchronisez l'horloge : systemctl restart chrony"),
    );
  }
  return res(lines.join('\n'));
}
