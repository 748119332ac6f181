// Fault controls for one team, or for every team at once (team = null). Each control is a small
// labelled form; the dashboard sends the fault and reports the outcome in its status line.
import type { Fault } from '../../src/protocol/messages';
import { el, newId } from '../lib/dom';
import { bi, biAttr, biText, type Bi } from '../lib/i18n';
import { netFaultBox, type NetInfo } from './net-faults';
import { glyph } from './ui';

export interface FaultConsoleOpts {
  team: number | null;
  nodes: string[];
  qdevice: boolean;
  /** the cluster's networks (network design lab): per-network faults; absent or empty, none */
  networks?: NetInfo[];
  apply(fault: Fault, team: number | null): Promise<boolean>;
  /** heal every team (POST …/heal) */
  healAll(): Promise<boolean>;
  copy(text: string): Promise<void>;
}

function select(id: string, options: { value: string; label: Bi | string }[]): HTMLSelectElement {
  const s = el('select', { id });
  for (const o of options) {
    const opt = el('option', { attrs: { value: o.value } });
    if (typeof o.label === 'string') opt.textContent = o.label;
    else biText(opt, o.label.fr, o.label.en);
    s.append(opt);
  }
  return s;
}

function field(label: Bi, control: HTMLElement, hint?: Bi): HTMLElement {
  return el('div', { class: 't-field' }, el('label', { attrs: { for: control.id } }, bi(label.fr, label.en)), control, hint ? el('span', { class: 't-hint' }, bi(hint.fr, hint.en)) : null);
}

function button(label: Bi, onClick: () => void, cls = '', sym = ''): HTMLButtonElement {
  const b = el('button', { class: `t-btn ${cls}`.trim(), attrs: { type: 'button' } }, sym ? glyph(sym) : null, bi(label.fr, label.en));
  b.addEventListener('click', onClick);
  return b;
}

function box(title: Bi, ...children: HTMLElement[]): HTMLFieldSetElement {
  return el('fieldset', { class: 't-fault' }, el('legend', {}, bi(title.fr, title.en)), ...children);
}

/** Runs an action with its button disabled meanwhile (no double submissions). */
function busy(btn: HTMLButtonElement, run: () => Promise<unknown>): void {
  if (btn.disabled) return;
  btn.disabled = true;
  void run().finally(() => (btn.disabled = false));
}

export function faultConsole(o: FaultConsoleOpts): HTMLElement {
  const root = el('div', { class: 't-faults-grid' });
  const nodeOpts = o.nodes.map((n) => ({ value: n, label: n }));
  const scope = o.team === null ? 'all' : `t${o.team}`;
  const id = (what: string) => newId(`f-${scope}-${what}`);
  const apply = (btn: HTMLButtonElement, fault: Fault) => busy(btn, () => o.apply(fault, o.team));

  // Power
  {
    const node = select(id('power-node'), nodeOpts);
    const action = select(id('power-action'), [
      { value: 'off', label: { fr: 'Couper le courant (brutal)', en: 'Cut the power (hard)' } },
      { value: 'on', label: { fr: 'Allumer', en: 'Power on' } },
      { value: 'reset', label: { fr: 'Reset matériel', en: 'Hard reset' } },
      { value: 'reboot', label: { fr: 'Redémarrage propre', en: 'Clean reboot' } },
      { value: 'shutdown', label: { fr: 'Arrêt propre', en: 'Clean shutdown' } },
    ]);
    const go: HTMLButtonElement = button({ fr: 'Appliquer', en: 'Apply' }, () =>
      apply(go, { kind: 'power', node: node.value, action: action.value as 'on' | 'off' | 'reset' | 'reboot' | 'shutdown' }),
    );
    go.dataset.fault = 'power';
    root.append(box({ fr: 'Alimentation', en: 'Power' }, field({ fr: 'Nœud', en: 'Node' }, node), field({ fr: 'Action', en: 'Action' }, action), go));
  }

  // Isolate
  {
    const node = select(id('isolate-node'), nodeOpts);
    node.dataset.control = 'isolate-node';
    const go: HTMLButtonElement = button({ fr: 'Isoler', en: 'Isolate' }, () => apply(go, { kind: 'isolate', node: node.value }), 't-btn-warn', '✂');
    go.dataset.fault = 'isolate';
    root.append(
      box({ fr: 'Isoler un nœud', en: 'Isolate a node' }, field({ fr: 'Nœud', en: 'Node' }, node, { fr: 'Coupe tous ses liens et l’accès au QDevice.', en: 'Cuts all its links and its QDevice access.' }), go),
    );
  }

  // Partition: every node is in group A unless ticked for group B.
  {
    const wrap = el('div', { class: 't-checks', attrs: { role: 'group' } });
    biAttr(wrap, 'aria-label', 'Nœuds du groupe B', 'Nodes of group B');
    const boxes = o.nodes.map((n, i) => {
      const cb = el('input', { id: id(`part-${n}`), attrs: { type: 'checkbox', value: n } });
      // A sensible default split: the last half goes to group B.
      cb.checked = i >= Math.ceil(o.nodes.length / 2);
      wrap.append(el('label', { class: 't-check', attrs: { for: cb.id } }, cb, n));
      return cb;
    });
    const preview = el('p', { class: 't-hint', attrs: { 'aria-live': 'polite' } });
    const update = () => {
      const b = boxes.filter((c) => c.checked).map((c) => c.value);
      const a = o.nodes.filter((n) => !b.includes(n));
      preview.replaceChildren(bi(`A : ${a.join(', ') || '—'}   |   B : ${b.join(', ') || '—'}`, `A: ${a.join(', ') || '—'}   |   B: ${b.join(', ') || '—'}`));
      go.disabled = !a.length || !b.length;
    };
    const go: HTMLButtonElement = button(
      { fr: 'Partitionner', en: 'Partition' },
      () => {
        const b = boxes.filter((c) => c.checked).map((c) => c.value);
        const a = o.nodes.filter((n) => !b.includes(n));
        if (a.length && b.length) apply(go, { kind: 'partition', groups: [a, b] });
      },
      't-btn-warn',
      '∥',
    );
    for (const c of boxes) c.addEventListener('change', update);
    root.append(
      box(
        { fr: 'Partition en deux groupes', en: 'Two-group partition' },
        el('p', { class: 't-hint' }, bi('Cochez les nœuds du groupe B ; les autres forment le groupe A.', 'Tick the nodes of group B; the others form group A.')),
        wrap,
        preview,
        go,
      ),
    );
    update();
  }

  // Link cut / restore
  {
    const a = select(id('link-a'), nodeOpts);
    const b = select(id('link-b'), nodeOpts);
    if (o.nodes.length > 1) b.value = o.nodes[1]!;
    const ok = () => a.value !== b.value;
    const cut: HTMLButtonElement = button({ fr: 'Couper', en: 'Cut' }, () => ok() && apply(cut, { kind: 'link', a: a.value, b: b.value, cut: true }), 't-btn-warn', '✂');
    const restore: HTMLButtonElement = button({ fr: 'Rétablir', en: 'Restore' }, () => ok() && apply(restore, { kind: 'link', a: a.value, b: b.value, cut: false }), '', '↺');
    const check = () => ((cut.disabled = !ok()), (restore.disabled = !ok()));
    a.addEventListener('change', check);
    b.addEventListener('change', check);
    root.append(
      box({ fr: 'Lien entre deux nœuds', en: 'Link between two nodes' }, el('div', { class: 't-row' }, field({ fr: 'De', en: 'From' }, a), field({ fr: 'À', en: 'To' }, b)), el('div', { class: 't-row' }, cut, restore)),
    );
  }

  if (o.networks?.length) root.append(netFaultBox({ networks: o.networks, nodes: o.nodes, id, button, apply }));

  // Link quality
  {
    const a = select(id('lq-a'), nodeOpts);
    const b = select(id('lq-b'), nodeOpts);
    if (o.nodes.length > 1) b.value = o.nodes[1]!;
    const loss = el('input', { id: id('lq-loss'), attrs: { type: 'number', min: 0, max: 100, step: 5, value: 20, inputmode: 'numeric' } });
    const lat = el('input', { id: id('lq-lat'), attrs: { type: 'number', min: 0, max: 60000, step: 50, value: 0, inputmode: 'numeric' } });
    const go: HTMLButtonElement = button({ fr: 'Appliquer', en: 'Apply' }, () => {
      const l = Math.min(100, Math.max(0, Number(loss.value) || 0)) / 100;
      const ms = Math.min(60000, Math.max(0, Math.round(Number(lat.value) || 0)));
      if (a.value !== b.value) apply(go, { kind: 'link-quality', a: a.value, b: b.value, loss: l, latencyMs: ms });
    });
    root.append(
      box(
        { fr: 'Perte et latence', en: 'Loss and latency' },
        el('div', { class: 't-row' }, field({ fr: 'De', en: 'From' }, a), field({ fr: 'À', en: 'To' }, b)),
        el('div', { class: 't-row' }, field({ fr: 'Perte (%)', en: 'Loss (%)' }, loss), field({ fr: 'Latence (ms)', en: 'Latency (ms)' }, lat)),
        go,
      ),
    );
  }

  // Clock skew
  {
    const node = select(id('skew-node'), nodeOpts);
    const sec = el('input', { id: id('skew-s'), attrs: { type: 'number', min: -86400, max: 86400, step: 1, value: 30, inputmode: 'numeric' } });
    const go: HTMLButtonElement = button({ fr: 'Décaler', en: 'Shift' }, () =>
      apply(go, { kind: 'clock-skew', node: node.value, skewMs: Math.round(Math.min(86400, Math.max(-86400, Number(sec.value) || 0)) * 1000) }),
    );
    root.append(
      box(
        { fr: 'Décalage d’horloge', en: 'Clock skew' },
        el('div', { class: 't-row' }, field({ fr: 'Nœud', en: 'Node' }, node), field({ fr: 'Secondes (±)', en: 'Seconds (±)' }, sec)),
        el('p', { class: 't-hint' }, bi('0 remet l’horloge à l’heure. Au-delà de 10 s : danger.', '0 puts the clock right. Over 10 s: danger.')),
        go,
      ),
    );
  }

  // QDevice host, shared storage
  {
    const parts: HTMLElement[] = [];
    if (o.qdevice) {
      const down: HTMLButtonElement = button({ fr: 'Hôte QDevice en panne', en: 'QDevice host down' }, () => apply(down, { kind: 'qdevice-host', up: false }), 't-btn-warn', '⚖');
      const up: HTMLButtonElement = button({ fr: 'Hôte QDevice rétabli', en: 'QDevice host up' }, () => apply(up, { kind: 'qdevice-host', up: true }), '', '⚖');
      parts.push(el('div', { class: 't-row' }, down, up));
    }
    const sDown: HTMLButtonElement = button({ fr: 'Stockage partagé en panne', en: 'Shared storage down' }, () => apply(sDown, { kind: 'storage', up: false }), 't-btn-warn', '▤');
    const sUp: HTMLButtonElement = button({ fr: 'Stockage partagé rétabli', en: 'Shared storage up' }, () => apply(sUp, { kind: 'storage', up: true }), '', '▤');
    parts.push(el('div', { class: 't-row' }, sDown, sUp));
    // A guest's disk destroyed: HA and replication carry the damage; only a backup restores it.
    const vmid = el('input', { id: id('corrupt-vmid'), attrs: { type: 'number', min: 100, step: 1, value: 100, inputmode: 'numeric' } });
    const corrupt: HTMLButtonElement = button({ fr: 'Corrompre le disque', en: 'Corrupt the disk' }, () =>
      apply(corrupt, { kind: 'disk-corrupt', vmid: Math.max(100, Math.round(Number(vmid.value) || 100)) }), 't-btn-warn', '▤');
    parts.push(el('div', { class: 't-row' }, field({ fr: 'VM (VMID)', en: 'VM (VMID)' }, vmid), corrupt));
    root.append(box(o.qdevice ? { fr: 'QDevice et stockage', en: 'QDevice and storage' } : { fr: 'Stockage', en: 'Storage' }, ...parts));
  }

  // Heal
  {
    const go: HTMLButtonElement = button(
      o.team === null ? { fr: 'Réparer le réseau de toutes les équipes', en: 'Heal every team’s network' } : { fr: 'Réparer le réseau', en: 'Heal the network' },
      () => busy(go, () => (o.team === null ? o.healAll() : o.apply({ kind: 'heal' }, o.team))),
      't-btn-ok',
      '✚',
    );
    go.dataset.fault = 'heal';
    root.append(
      box(
        { fr: 'Réparer', en: 'Heal' },
        el('p', { class: 't-hint' }, bi('Rétablit tous les liens, sans perte ni latence, et l’accès au QDevice. Ne rallume pas les nœuds.', 'Restores every link, without loss or latency, and QDevice access. Does not power nodes on.')),
        go,
      ),
    );
  }

  // Maintenance: the students do it themselves; the teacher hands out the command.
  {
    const node = select(id('maint-node'), nodeOpts);
    const cmd = el('code', { class: 't-cmd' });
    const update = () => (cmd.textContent = `ha-manager crm-command node-maintenance enable ${node.value}`);
    node.addEventListener('change', update);
    update();
    const copy: HTMLButtonElement = button({ fr: 'Copier la commande', en: 'Copy the command' }, () => busy(copy, () => o.copy(cmd.textContent ?? '')), '', '❐');
    root.append(
      box(
        { fr: 'Demande de maintenance', en: 'Maintenance request' },
        el('p', { class: 't-hint' }, bi('Annoncez la maintenance aux élèves : ils la lancent eux-mêmes avec cette commande.', 'Announce the maintenance to the students: they start it themselves with this command.')),
        field({ fr: 'Nœud', en: 'Node' }, node),
        cmd,
        copy,
      ),
    );
  }
  return root;
}
