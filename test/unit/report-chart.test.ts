// The report's quorum chart (src/reports/chart.ts): spans per node from the log, marks, and an SVG
// that prints (patterns and words, names escaped).
import { describe, expect, it } from 'vitest';
import { createCluster } from '../../src/sim/index';
import { chartSvg, quorumChart } from '../../src/reports/chart';
import { Harness, mkConfig } from './sim/harness';

describe('quorum chart', () => {
  it('an isolated node: quorate, then inquorate from the moment it lost quorum; the fault is marked', () => {
    const config = mkConfig({ nodes: 3 });
    const h = new Harness(config);
    h.advance(5000);
    h.input({ type: 'fault', at: h.now, fault: { kind: 'isolate', node: 'pve3' } });
    const lostAt = h.until(() => !h.quorate('pve3'));
    h.advance(10_000);
    h.fault({ kind: 'power', node: 'pve2', action: 'off' });
    h.advance(5000);
    const c = quorumChart(createCluster(config, 1), h.events, h.now);
    const pve3 = c.nodes.find((n) => n.name === 'pve3')!;
    expect(pve3.spans.map((s) => [s.state, s.from, s.to])).toEqual([
      ['quorate', 0, lostAt],
      ['inquorate', lostAt, h.now],
    ]);
    expect(c.nodes.find((n) => n.name === 'pve2')!.spans.map((s) => s.state)).toEqual(['quorate', 'off']);
    expect(c.marks.map((m) => [m.kind, m.n, m.at])).toEqual([
      ['fault', 1, 5000],
      ['fault', 2, lostAt + 10_000],
    ]);
    const svg = chartSvg(c, 'fr');
    expect(svg).toContain('fill="url(#hatch)"');
    expect(svg).toContain('⚡1');
    expect(svg).toContain('sans quorum (hachuré)');
    expect(chartSvg({ ...c, nodes: [{ name: '<b>x', spans: [] }] }, 'en')).toContain('&lt;b&gt;x');
  });
});
