// The harm told to the student who caused it: the split-brain their forced expected
// vote opened, then its consequences as they appear — a VM running twice, /etc/pve written on both
// sides, the writes lost at the merge — each with the course rule broken. The server sends these
// events to that seat only (src/sim/seat-events.ts); the merge reaches every node, so the page tells it as
// harm only after it was told it opened the split-brain.
import type { Words as Bi } from './vocabulary.js';

const RULE: Bi = {
  fr: 'Règle du cours : ne jamais forcer les votes attendus (pvecm expected) dans une partition minoritaire — la majorité a déjà le quorum et relance les VM de son côté.',
  en: 'Course rule: never force expected votes (pvecm expected) in a minority partition — the majority already has quorum and recovers the VMs on its side.',
};

/** The banner and journal line for a split-brain event this seat caused (`kind`: the incident kind). */
export function harmText(cause: string, kind = 'two-quorate'): Bi {
  const vm = /VM (\d+) running on (.+?) at/.exec(cause);
  switch (kind) {
    case 'vm-twice':
      return {
        fr: `Conséquence de votre commande : la VM ${vm?.[1] ?? '?'} tourne maintenant DEUX FOIS (${vm?.[2]?.replace(' and ', ' et ') ?? cause}). Deux copies écrivent sur le même disque : ses données se corrompent. ${RULE.fr}`,
        en: `Consequence of your command: VM ${vm?.[1] ?? '?'} now runs TWICE (${vm?.[2] ?? cause}). Two copies write to the same disk: its data gets corrupted. ${RULE.en}`,
      };
    case 'cfs-diverged':
      return {
        fr: `Conséquence de votre commande : /etc/pve a été modifié des deux côtés. À la fusion des partitions, une seule copie gagne : les écritures de l’autre côté seront PERDUES. ${RULE.fr}`,
        en: `Consequence of your command: /etc/pve was written on both sides. When the partitions merge, one copy wins: the other side's writes will be LOST. ${RULE.en}`,
      };
    default:
      return {
        fr: `Votre commande a ouvert un SPLIT-BRAIN (${cause}) : deux partitions ont maintenant le quorum et écrivent chacune de leur côté ; une VM peut tourner deux fois et des écritures seront perdues à la fusion. ${RULE.fr}`,
        en: `Your command opened a SPLIT-BRAIN (${cause}): two partitions now have quorum and each writes on its own; a VM may run twice and writes will be lost at the merge. ${RULE.en}`,
      };
  }
}

/** The merge that followed the split-brain this seat opened: the writes that were lost. */
export function lostWritesText(lost: unknown): Bi | null {
  const list = Array.isArray(lost) ? lost.map((w) => (w && typeof w === 'object' ? `${String((w as { what?: unknown }).what ?? '?')} (${String((w as { node?: unknown }).node ?? '?')})` : '?')) : [];
  if (!list.length) return null;
  return {
    fr: `Fusion de /etc/pve après votre split-brain : ${list.length} écriture(s) PERDUE(S) — ${list.join(' ; ')}. ${RULE.fr}`,
    en: `/etc/pve merged after your split-brain: ${list.length} write(s) LOST — ${list.join('; ')}. ${RULE.en}`,
  };
}

/** The harm an event tells this seat (null: not harm). `opened`: this seat was told it opened a split-brain. */
export function harmOf(ev: Record<string, unknown>, opened: boolean): { code: string; text: Bi } | null {
  if (ev.type === 'split-brain-started') {
    const kind = typeof ev.kind === 'string' ? ev.kind : 'two-quorate';
    return { code: kind === 'two-quorate' ? 'harm' : `harm-${kind}`, text: harmText(typeof ev.cause === 'string' ? ev.cause : '', kind) };
  }
  if (ev.type === 'pmxcfs-merge' && opened) {
    const text = lostWritesText(ev.lost);
    return text ? { code: 'harm-writes-lost', text } : null;
  }
  return null;
}
