// "Ce que le cours simplifie" (issue 8): where the lab shows real behaviour that the course words
// differently, a short note the first time it matters for this student's node — then never again
// for this seat (localStorage, per lab and seat). Each note names the event that triggers it.
import type { Bi } from './i18n';

export interface Simplification {
  id: string;
  text: Bi;
}

const NOTES: { id: string; when: (ev: Record<string, unknown>, me: string) => boolean; text: Bi }[] = [
  {
    id: 'pmxcfs',
    when: (ev, me) => (ev.type === 'quorum-lost' || ev.type === 'pmxcfs-refused') && ev.node === me,
    text: {
      fr: 'Le cours dit souvent « corosync est la base de données du cluster ». En réalité corosync transporte les messages et compte les votes ; la base répliquée, c’est pmxcfs (/etc/pve), qui passe en lecture seule sans quorum. Les VM déjà lancées continuent de tourner.',
      en: 'The course often says “corosync is the cluster’s database”. In fact corosync carries the messages and counts the votes; the replicated database is pmxcfs (/etc/pve), which turns read-only without quorum. VMs already running keep running.',
    },
  },
  {
    id: 'clock',
    when: (ev, me) => ev.type === 'clock-skew' && ev.node === me,
    text: {
      fr: 'Un décalage d’horloge ne fait pas perdre le quorum : corosync juge la présence aux heartbeats (le token), pas à l’heure. Il trouble en revanche HA, les journaux, les certificats et Ceph — d’où chrony sur chaque nœud.',
      en: 'Clock skew does not break quorum: corosync judges presence by heartbeats (the token), not by the time of day. It does disturb HA, logs, certificates and Ceph — hence chrony on every node.',
    },
  },
  {
    id: 'self-fence',
    when: (ev, me) => ev.type === 'watchdog-armed' && ev.node === me,
    text: {
      fr: 'Le cours dit « le cluster clôture le nœud isolé ». Dans Proxmox, personne ne l’éteint à distance : c’est le nœud lui-même qui se redémarre (watchdog) s’il reste sans quorum avec des services HA actifs ; les autres attendent ce délai avant de relancer ses VM.',
      en: 'The course says “the cluster fences the isolated node”. In Proxmox nobody powers it off remotely: the node resets itself (watchdog) if it stays without quorum with active HA services; the others wait that long before recovering its VMs.',
    },
  },
];

const key = (code: string, seatId: string) => `quorum-lab:simplified:${code}:${seatId}`;

function seen(code: string, seatId: string): Set<string> {
  try {
    const v = JSON.parse(localStorage.getItem(key(code, seatId)) ?? '[]') as unknown;
    return new Set(Array.isArray(v) ? v.map(String) : []);
  } catch {
    return new Set();
  }
}

/** The note this event triggers for `me`, the first time only (then remembered as shown). */
export function simplificationFor(ev: Record<string, unknown>, me: string, code: string, seatId: string): Simplification | null {
  const note = NOTES.find((n) => n.when(ev, me));
  if (!note) return null;
  const done = seen(code, seatId);
  if (done.has(note.id)) return null;
  done.add(note.id);
  try {
    localStorage.setItem(key(code, seatId), JSON.stringify([...done]));
  } catch {
    /* storage blocked: the note may show again after a reload */
  }
  return { id: note.id, text: note.text };
}
