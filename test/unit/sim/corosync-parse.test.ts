// corosync-parse: coroparse's section syntax and totemconfig's checks, with corosync's messages.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSections, readConf } from '../../../src/sim/corosync-parse';

const node = (name: string, id: number, rings: string[]) =>
  ['  node {', `    name: ${name}`, `    nodeid: ${id}`, '    quorum_votes: 1', ...rings.map((r, i) => `    ring${i}_addr: ${r}`), '  }'].join('\n');

function conf(o: { nodes?: string; version?: string; interfaces?: string } = {}): string {
  return [
    'logging {',
    '  debug: off',
    '}',
    '',
    'nodelist {',
    o.nodes ?? [node('pve1', 1, ['10.0.20.11', '10.0.10.11']), node('pve2', 2, ['10.0.20.12', '10.0.10.12'])].join('\n'),
    '}',
    '',
    'totem {',
    '  cluster_name: salle-b',
    `  config_version: ${o.version ?? '3'}`,
    o.interfaces ?? '  interface {\n    linknumber: 0\n  }\n  interface {\n    linknumber: 1\n    knet_link_priority: 10\n  }',
    '}',
  ].join('\n');
}

const err = (text: string) => {
  const r = readConf(text);
  return 'error' in r ? r.error : null;
};

describe('coroparse syntax', () => {
  it('sections, key: value, comments; a line with a brace opens a section', () => {
    const r = parseSections('# comment\ntotem {\n  version: 2\n\n  interface {\n    linknumber: 0\n  }\n}\n');
    expect('root' in r && r.root.sections[0]).toMatchObject({ name: 'totem', line: 2, items: [{ key: 'version', value: '2', line: 3 }], sections: [{ name: 'interface' }] });
  });

  it('unbalanced braces: the two parser errors, with the line', () => {
    expect(err('totem {\n  version: 2\n}\n}\n')).toEqual({ message: 'parser error: Unexpected closing brace', line: 4 });
    expect(err('totem {\n  version: 2\n  interface {\n}\n')).toEqual({ message: 'parser error: Missing closing brace', line: 1 });
  });

  it('never throws on any text up to 4 KiB', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 4096 }), (t) => {
        const r = readConf(t);
        expect('conf' in r || typeof r.error.message === 'string').toBe(true);
      }),
      { numRuns: 200 },
    );
    const soup = fc.array(fc.constantFrom('{', '}', 'nodelist {', 'node {', 'ring0_addr: 1.2.3.4', 'nodeid: 1', 'name: x', 'totem {', 'interface {', 'linknumber: 9', ':', '#', '\n'), { maxLength: 80 });
    fc.assert(fc.property(soup, (parts) => void readConf(parts.join('\n'))), { numRuns: 200 });
  });
});

describe('corosync.conf checks', () => {
  it('reads the nodelist, the links and their priorities, and config_version', () => {
    const r = readConf(conf());
    expect('conf' in r && r.conf).toMatchObject({
      configVersion: 3,
      clusterName: 'salle-b',
      links: [
        { linknumber: 0, addrs: { pve1: '10.0.20.11', pve2: '10.0.20.12' } },
        { linknumber: 1, priority: 10, addrs: { pve1: '10.0.10.11', pve2: '10.0.10.12' } },
      ],
    });
  });

  it('an integer key that is not an integer', () => {
    const text = conf({ version: 'four' });
    const line = text.split('\n').indexOf('  config_version: four') + 1;
    expect(err(text)).toEqual({ message: 'Value of key "config_version" must be integer, but "four" was given', line });
    expect(err(conf({ nodes: node('pve1', 1, ['10.0.20.11']).replace('nodeid: 1', 'nodeid: one') }))?.message).toBe('Value of key "nodeid" must be integer, but "one" was given');
  });

  it('a node without ring0_addr', () => {
    expect(err(conf({ nodes: '  node {\n    name: pve1\n    nodeid: 1\n  }', interfaces: '' }))).toEqual({ message: 'No ring0_addr specified for node', line: 6 });
  });

  it('a duplicate nodeid', () => {
    const nodes = [node('pve1', 1, ['10.0.20.11']), node('pve2', 1, ['10.0.20.12'])].join('\n');
    expect(err(conf({ nodes, interfaces: '' }))?.message).toBe('Nodeid 1 appears twice in corosync.conf');
  });

  it('a node missing a ring another node has', () => {
    const nodes = [node('pve1', 1, ['10.0.20.11', '10.0.10.11']), node('pve2', 2, ['10.0.20.12'])].join('\n');
    expect(err(conf({ nodes }))).toMatchObject({ message: 'parse error in config: Not all nodes have the same number of links' });
  });

  it('several links need a name on every node', () => {
    const nodes = [node('pve1', 1, ['10.0.20.11', '10.0.10.11']), node('pve2', 2, ['10.0.20.12', '10.0.10.12']).replace('    name: pve2\n', '')].join('\n');
    expect(err(conf({ nodes }))?.message).toBe("parse error in config: for a multi-link configuration, all nodes must have a 'name' attribute");
  });

  it('an interface for a link number without addresses, and out-of-range numbers', () => {
    const nodes = [node('pve1', 1, ['10.0.20.11']), node('pve2', 2, ['10.0.20.12'])].join('\n');
    expect(err(conf({ nodes }))).toMatchObject({ message: 'parse error in config: interface section for link 1, but no node has a ring1_addr' });
    expect(err(conf({ nodes, interfaces: '  interface {\n    linknumber: 9\n  }' }))?.message).toBe('parse error in config: linknumber 9 is out of range (0 to 7)');
    expect(err(conf({ nodes, interfaces: '  interface {\n    linknumber: 0\n    knet_link_priority: 300\n  }' }))?.message).toBe('parse error in config: knet_link_priority 300 is out of range (0 to 255)');
  });
});
