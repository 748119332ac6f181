// Faults (src/protocol/messages.ts faultSchema) as short bilingual phrases for the feed, the
// scheduled faults and the confirmation messages. Students never see faults, only their effects.
import { line, type Line } from '../lib/events';
import type { Bi } from '../lib/i18n';

type F = Record<string, unknown>;
const s = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '?');

const POWER_ACTION: Record<string, Bi> = {
  on: { fr: 'allumage', en: 'power on' },
  off: { fr: 'coupure de courant', en: 'power cut' },
  reset: { fr: 'reset matériel', en: 'hard reset' },
  reboot: { fr: 'redémarrage propre', en: 'clean reboot' },
  shutdown: { fr: 'arrêt propre', en: 'clean shutdown' },
};

export function describeFault(raw: unknown): Bi {
  if (!raw || typeof raw !== 'object') return { fr: 'panne', en: 'fault' };
  const f = raw as F;
  switch (f.kind) {
    case 'power': {
      const a = POWER_ACTION[s(f.action)] ?? { fr: s(f.action), en: s(f.action) };
      return { fr: `${s(f.node)} : ${a.fr}`, en: `${s(f.node)}: ${a.en}` };
    }
    case 'isolate':
      return { fr: `${s(f.node)} isolé du réseau`, en: `${s(f.node)} isolated from the network` };
    case 'partition': {
      const g = Array.isArray(f.groups) ? f.groups.map((x) => (Array.isArray(x) ? x.map(s).join(', ') : '?')).join(' | ') : '?';
      return { fr: `partition réseau : ${g}`, en: `network partition: ${g}` };
    }
    case 'link': {
      const arrow = f.oneWay ? '→' : '↔';
      return f.cut
        ? { fr: `lien ${s(f.a)} ${arrow} ${s(f.b)} coupé`, en: `link ${s(f.a)} ${arrow} ${s(f.b)} cut` }
        : { fr: `lien ${s(f.a)} ${arrow} ${s(f.b)} rétabli`, en: `link ${s(f.a)} ${arrow} ${s(f.b)} restored` };
    }
    case 'link-quality': {
      const loss = typeof f.loss === 'number' ? Math.round(f.loss * 100) : '?';
      return {
        fr: `lien ${s(f.a)} ↔ ${s(f.b)} : perte ${loss} %, latence ${s(f.latencyMs)} ms`,
        en: `link ${s(f.a)} ↔ ${s(f.b)}: ${loss} % loss, ${s(f.latencyMs)} ms latency`,
      };
    }
    case 'clock-skew': {
      const sec = typeof f.skewMs === 'number' ? f.skewMs / 1000 : NaN;
      const txt = Number.isFinite(sec) ? `${sec > 0 ? '+' : ''}${sec} s` : '?';
      return { fr: `horloge de ${s(f.node)} décalée de ${txt}`, en: `${s(f.node)}’s clock shifted by ${txt}` };
    }
    case 'qdevice-host':
      return f.up ? { fr: 'hôte QDevice rallumé', en: 'QDevice host back up' } : { fr: 'hôte QDevice en panne', en: 'QDevice host down' };
    case 'qdevice-reach':
      return f.reachable
        ? { fr: `${s(f.node)} joint de nouveau le QDevice`, en: `${s(f.node)} reaches the QDevice again` }
        : { fr: `${s(f.node)} ne joint plus le QDevice`, en: `${s(f.node)} cannot reach the QDevice` };
    case 'storage':
      return f.up ? { fr: 'stockage partagé rétabli', en: 'shared storage back' } : { fr: 'stockage partagé en panne', en: 'shared storage down' };
    case 'disk-corrupt':
      return { fr: `disque de la VM ${s(f.vmid)} corrompu`, en: `disk of VM ${s(f.vmid)} corrupted` };
    case 'heal':
      return { fr: 'réseau réparé (liens, pertes, latence, QDevice)', en: 'network healed (links, loss, latency, QDevice)' };
    default:
      return { fr: s(f.kind), en: s(f.kind) };
  }
}

/** The feed's line for a `fault-applied` event: who (teacher or scenario timeline) did what. */
export function faultAppliedLine(e: Record<string, unknown>): Line {
  const f = describeFault(e.fault);
  const who: Bi = e.by === 'timeline' ? { fr: 'scénario', en: 'scenario' } : e.by === 'teacher' ? { fr: 'enseignant', en: 'teacher' } : { fr: s(e.by ?? '—'), en: s(e.by ?? '—') };
  // Powering a node on or healing the network repairs: not announced as a fault.
  if (isRepair(e.fault)) return line('info', 'plug', `Réparation (${who.fr}) : ${f.fr}.`, `Repair (${who.en}): ${f.en}.`);
  return line('warn', 'bolt', `Panne (${who.fr}) : ${f.fr}.`, `Fault (${who.en}): ${f.en}.`);
}

/** A "fault" that puts something back (power on, heal, link restored, QDevice or storage back). */
export function isRepair(raw: unknown): boolean {
  const f = (raw ?? {}) as F;
  return (f.kind === 'power' && f.action === 'on') || f.kind === 'heal' || (f.kind === 'link' && f.cut === false) || (f.kind === 'qdevice-host' && f.up === true) || (f.kind === 'qdevice-reach' && f.reachable === true) || (f.kind === 'storage' && f.up === true);
}
