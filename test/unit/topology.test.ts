// The topology drawing: state → shapes and labels (web/lib/topology-model.ts) from the real engine's
// views, and the SVG it draws (names escaped, every state a word and a shape).
import { describe, expect, it } from 'vitest';
import { nodeView, teacherSnapshot } from '../../src/sim/index';
import { fromNodeView, fromSnapshot } from '../../web/lib/topology-input';
import { model, NODE_W } from '../../web/lib/topology-model';
import { topologySvg } from '../../web/lib/topology-svg';
import { Harness, haVm, mkConfig } from './sim/harness';

const three = () => new Harness(mkConfig({ nodes: 3, vms: [haVm(100, 'pve1'), haVm(101, 'pve3')] }));

describe('topology model', () => {
  it('draws a healthy cluster as one quorate partition, links ok, VMs on their nodes', () => {
    const h = three();
    h.advance(3000);
    const m = model(fromSnapshot(teacherSnapshot(h.s)));
    expect(m.groups).toHaveLength(1);
    expect([m.groups[0]!.label.en, m.groups[0]!.state?.en]).toEqual(['Partition', '✓ quorate · 3 votes / 2 needed']);
    expect(m.nodes.map((n) => [n.name, n.state, n.word.en, n.glyph])).toEqual([
      ['pve1', 'quorate', 'quorate', '✓'],
      ['pve2', 'quorate', 'quorate', '✓'],
      ['pve3', 'quorate', 'quorate', '✓'],
    ]);
    expect(m.links.map((l) => l.state)).toEqual(['ok', 'ok', 'ok']);
    expect(m.nodes[0]!.vms.map((v) => v.text)).toEqual(['▶ 100 vm100 (HA)']);
    expect(m.nodes[0]!.cfs?.en).toMatch(/^\/etc\/pve v\d+$/);
    // Nodes do not overlap and stay inside the drawing.
    for (const n of m.nodes) expect(n.x + n.w).toBeLessThanOrEqual(m.width);
    const xs = m.nodes.map((n) => `${n.x},${n.y}`);
    expect(new Set(xs).size).toBe(3);
  });

  it('draws no link to a powered-off node', () => {
    const h = three();
    h.advance(2000);
    h.fault({ kind: 'power', node: 'pve2', action: 'off' });
    h.advance(1000);
    const m = model(fromSnapshot(teacherSnapshot(h.s)));
    expect(m.nodes.find((n) => n.name === 'pve2')!.state).toBe('off');
    expect(m.links.map((l) => [l.a, l.b, l.state])).toEqual([['pve1', 'pve3', 'ok']]);
  });

  it('past six nodes draws only the links in trouble, and says so', () => {
    const h = new Harness(mkConfig({ nodes: 12, vms: [] }));
    h.advance(2000);
    const calm = model(fromSnapshot(teacherSnapshot(h.s)));
    expect(calm.links).toEqual([]);
    expect(calm.legend.map((l) => l.text.en)).toEqual(['Healthy links not drawn: only links in trouble are.']);
    h.fault({ kind: 'link', a: 'pve4', b: 'pve9', cut: true });
    h.advance(1000);
    const cut = model(fromSnapshot(teacherSnapshot(h.s)));
    expect(cut.links.map((l) => [l.a, l.b, l.state])).toEqual([['pve4', 'pve9', 'cut']]);
    expect(cut.legend.map((l) => l.text.en)).toEqual(['✕ pve4 – pve9: cut', 'Healthy links not drawn: only links in trouble are.']);
  });

  it('an isolation: the isolated node sees itself alone and its peers unheard; its peers see a ring of two', () => {
    const h = three();
    h.advance(2000);
    h.fault({ kind: 'isolate', node: 'pve3' });
    h.until(() => !h.quorate('pve3'));
    const alone = model(fromNodeView(nodeView(h.s, 'pve3')));
    const peer = model(fromNodeView(nodeView(h.s, 'pve1')));
    expect(alone.viewpoint).toBe('pve3');
    expect(alone.groups.map((g) => [g.kind, g.members.length])).toEqual([
      ['partition', 1],
      ['unheard', 2],
    ]);
    expect([alone.groups[0]!.label.fr, alone.groups[0]!.state?.fr]).toEqual(['Mon anneau', '⚠ sans quorum · 1 vote / 2 requis']);
    expect(alone.nodes.find((n) => n.name === 'pve3')).toMatchObject({ self: true, state: 'inquorate', word: { fr: 'sans quorum', en: 'no quorum' } });
    expect(alone.nodes.filter((n) => !n.self).map((n) => n.state)).toEqual(['unknown', 'unknown']);
    expect(alone.links.map((l) => l.state)).toEqual(['silent', 'silent']);
    expect(peer.groups[0]).toMatchObject({ kind: 'partition', quorate: true });
    expect(peer.nodes.find((n) => n.name === 'pve3')!.state).toBe('unknown');
    expect(peer.nodes.find((n) => n.name === 'pve2')!.state).toBe('quorate');
    // Two points of view, two drawings.
    expect(topologySvg(alone)).not.toBe(topologySvg(peer));
    // The teacher sees the truth: pve3 powered and cut off, every link to it cut.
    const truth = model(fromSnapshot(teacherSnapshot(h.s)));
    expect(truth.groups.map((g) => g.members)).toEqual([['pve1', 'pve2'], ['pve3']]);
    expect(truth.links.filter((l) => l.a === 'pve3' || l.b === 'pve3').map((l) => l.state)).toEqual(['cut', 'cut']);
    expect(truth.links.find((l) => l.state === 'cut')).toMatchObject({ mark: '✕', label: { fr: 'coupé', en: 'cut' } });
    expect(truth.legend.map((l) => l.text.en)).toEqual(['✕ pve1 – pve3: cut', '✕ pve2 – pve3: cut']);
    expect(alone.legend.map((l) => l.text.fr)).toEqual(['? pve3 – pve1 : non entendu d’ici', '? pve3 – pve2 : non entendu d’ici']);
  });

  it('one-way, lossy and powered-off states each carry their own word', () => {
    const h = three();
    h.fault({ kind: 'link', a: 'pve1', b: 'pve2', cut: true, oneWay: true });
    h.fault({ kind: 'link-quality', a: 'pve2', b: 'pve3', loss: 0.3, latencyMs: 0 });
    h.fault({ kind: 'power', node: 'pve3', action: 'off' });
    h.advance(1000);
    const input = fromSnapshot(teacherSnapshot(h.s));
    const oneWay = input.links.find((l) => l.a === 'pve1' && l.b === 'pve2')!;
    expect(oneWay).toMatchObject({ state: 'one-way', from: 'pve2' });
    const lossy = input.links.find((l) => l.a === 'pve2' && l.b === 'pve3')!;
    expect(lossy).toMatchObject({ state: 'lossy', detail: { fr: 'perte 30 %', en: '30% loss' } });
    const m = model(input);
    expect(m.legend.map((l) => l.text.en)).toContain('~ pve2 – pve3: degraded (30% loss)');
    expect(m.legend.map((l) => l.text.en)).toContain('→ pve2 → pve1: one-way');
    expect(m.nodes.find((n) => n.name === 'pve3')).toMatchObject({ state: 'off', glyph: '⏻', word: { en: 'off' } });
    expect(m.groups.find((g) => g.kind === 'down')!.label.en).toBe('Powered off');
    // The one-way link starts at the side that still sends.
    const shape = m.links.find((l) => l.state === 'one-way')!;
    expect(shape.a).toBe('pve2');
  });

  it('the QDevice: its reach per node and whom it votes for', () => {
    const h = new Harness(mkConfig({ nodes: 2, qdevice: 'ffsplit' }));
    h.advance(3000);
    h.fault({ kind: 'qdevice-reach', node: 'pve2', reachable: false });
    h.fault({ kind: 'isolate', node: 'pve2' });
    h.until(() => !h.quorate('pve2'));
    const m = model(fromSnapshot(teacherSnapshot(h.s)));
    expect(m.qdevice!.word.en).toBe('QDevice ✓');
    expect(m.qdevice!.lines.map((l) => [l.node, l.reach])).toEqual([
      ['pve1', true],
      ['pve2', false],
    ]);
    const voted = m.groups.find((g) => g.kind === 'partition' && g.quorate)!;
    expect(m.qdevice!.vote!.x2).toBe(voted.x + voted.w / 2);
    // From pve1: its QDevice votes here; from pve2: unreachable, no vote.
    expect(model(fromNodeView(nodeView(h.s, 'pve1'))).qdevice!.vote).not.toBeNull();
    const far = model(fromNodeView(nodeView(h.s, 'pve2'))).qdevice!;
    expect([far.vote, far.word.en]).toEqual([null, 'QDevice ? unreachable']);
  });

  it('fits a phone: two node columns per row at most', () => {
    const h = new Harness(mkConfig({ nodes: 5 }));
    h.advance(2000);
    const m = model(fromSnapshot(teacherSnapshot(h.s)), { maxCols: 2 });
    expect(new Set(m.nodes.map((n) => n.x)).size).toBe(2);
    expect(m.width).toBeLessThan(3 * NODE_W);
  });
});

describe('topology SVG', () => {
  it('escapes names and states every node with a word in both languages', () => {
    const h = three();
    const input = fromSnapshot(teacherSnapshot(h.s));
    input.nodes[0]!.name = '<script>x</script>';
    input.groups[0]!.members[0] = '<script>x</script>';
    input.nodes[0]!.vms[0]!.name = 'a"&b';
    const svg = topologySvg(model(input), { id: 't1' });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(svg).toContain('a&quot;&amp;b');
    expect(svg).toContain('data-lang="fr">✓ quorum</text>');
    expect(svg).toContain('data-lang="en" lang="en">✓ quorate</text>');
    expect(svg).toContain('class="topo-beat"');
    expect(topologySvg(model(input), { pulse: false })).not.toContain('topo-beat');
    expect(topologySvg(model(input), { lang: 'en' })).not.toContain('data-lang');
  });
});
