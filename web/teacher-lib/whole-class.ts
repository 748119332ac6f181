// The "one cluster for the whole class" option of the new-lab form: it names a generated scenario
// (src/sim/whole-class.ts: `whole-class-<n>[-qdevice]`) and one team.
import { byId } from '../lib/dom';
import type { Bi } from '../lib/i18n';

export type WholeClassChoice = { scenario: string; teams: 1 } | { error: Bi; focus: HTMLElement } | null;

/** null when the option is off; else the scenario id to ask for, or why it cannot be made. */
export function wholeClassChoice(): WholeClassChoice {
  const on = byId<HTMLInputElement>('whole-class-on');
  if (!on.checked) return null;
  const nodes = byId<HTMLInputElement>('whole-class-nodes');
  const qdevice = byId<HTMLInputElement>('whole-class-qdevice').checked;
  const n = Number(nodes.value);
  if (!Number.isInteger(n) || n < 2 || n > 64) return { error: { fr: 'Cluster de classe : de 2 à 64 nœuds.', en: 'Whole-class cluster: 2 to 64 nodes.' }, focus: nodes };
  if (qdevice && n % 2 === 1) return { error: { fr: 'Un QDevice demande un nombre pair de nœuds.', en: 'A QDevice needs an even node count.' }, focus: nodes };
  return { scenario: `whole-class-${n}${qdevice ? '-qdevice' : ''}`, teams: 1 };
}
