// A teacher's own scenario, end to end inside workerd: check → save → dry-run → create a lab with it
// → the lab's rooms and report run it. And nobody without the instructor key reaches these routes.
import { describe, expect, it } from 'vitest';
import { getScenario } from '../../src/sim/scenarios';
import { formatScenarioJson } from '../../src/sim/scenario-text';
import { call, createLab, join, openSocket, simState, teacher, ticks, TEACHER_KEY } from './helpers';

/** The clock-skew preset rewritten as a teacher would: another cluster, another title, one more fault. */
function customText(fixPve3Points = 25): string {
  const s = structuredClone(getScenario('clock-skew')!);
  s.objectives.find((o) => o.id === 'fix-pve3')!.points = fixPve3Points;
  s.id = 'atelier-horloges';
  s.title = { fr: 'Atelier <horloges> & NTP', en: 'Clock <workshop> & NTP' };
  s.cluster.clusterName = 'atelier';
  s.timeline.push({ atMs: 200_000, fault: { kind: 'clock-skew', node: 'pve2', skewMs: 30_000 }, note: { fr: 'pve2 dérive aussi.', en: 'pve2 drifts too.' } });
  return formatScenarioJson(s);
}

const asTeacher = (path: string, init: Parameters<typeof call>[1] = {}) => call(`/api/scenarios${path}`, { ...init, bearer: TEACHER_KEY });

describe('custom scenarios', () => {
  it('upload → validate → dry-run → create a lab with it → the rooms and the report use it', async () => {
    // A broken file: errors at their line, nothing saved.
    const broken = customText().replace('"node": "pve2", "skewMs": 30000', '"node": "pve7", "skewMs": 30000');
    const check = await asTeacher('/check', { json: { text: broken } });
    expect(check.status).toBe(200);
    expect(check.body.ok).toBe(false);
    const line = broken.split('\n').findIndex((l) => l.includes('"pve7"')) + 1;
    expect(check.body.errors).toEqual([
      expect.objectContaining({ line, path: 'timeline.2.fault.node', message: { fr: expect.stringContaining('nœud inconnu « pve7 »'), en: expect.stringContaining('unknown node "pve7"') } }),
    ]);
    const refused = await asTeacher('/custom', { json: { text: broken } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('bad_scenario');
    expect(refused.body.errors[0].line).toBe(line);

    // The good file: checked, saved, listed, given back as typed.
    const text = customText();
    const ok = await asTeacher('/check', { json: { text } });
    expect(ok.body).toMatchObject({ ok: true, scenario: { id: 'atelier-horloges', nodes: 3, title: { en: 'Clock <workshop> & NTP' } } });
    const saved = await asTeacher('/custom', { json: { text } });
    expect(saved.status).toBe(201);
    const id: string = saved.body.id;
    expect(id).toMatch(/^custom-[0-9a-f]{16}$/);
    const list = await asTeacher('/custom');
    expect(list.body.scenarios).toContainEqual(expect.objectContaining({ id, scenarioId: 'atelier-horloges', title: 'Atelier <horloges> & NTP' }));
    expect((await asTeacher(`/custom/${id}`)).body.source).toBe(text);
    // Edited: a 60-point objective weight, saved over the same id.
    const edited = customText(60);
    expect(edited).not.toBe(text);
    expect((await asTeacher(`/custom/${id}`, { method: 'PUT', json: { text: edited } })).status).toBe(200);
    expect((await asTeacher(`/custom/${id}`)).body.source).toBe(edited);

    // Dry run on autopilot: nobody resyncs the clocks, so those objectives stay unmet; quorum holds.
    const dry = await asTeacher('/dry-run', { json: { id } });
    expect(dry.status).toBe(200);
    const r = dry.body.result;
    expect(r.endMs).toBe(320_000);
    const met = Object.fromEntries(r.objectives.map((o: { id: string; met: boolean }) => [o.id, o.met]));
    expect(met).toEqual({ 'fix-pve3': false, 'fix-pve1': false, 'skew-fixed-at-end': false, 'quorum-kept': true, 'no-split-brain': true });
    expect(r.objectives.find((o: { id: string }) => o.id === 'fix-pve3').points).toBe(60);
    expect(r.pointsMet).toBe(30);
    expect(r.harms).toEqual([]);
    expect(r.moments.filter((m: { type: string }) => m.type === 'clock-skew').map((m: { at: number }) => m.at)).toEqual([60_000, 180_000, 200_000]);
    expect(r.final.nodes.every((n: { quorate: boolean }) => n.quorate)).toBe(true);
    // A text can be dry-run without saving it; a broken one is refused with its errors.
    expect((await asTeacher('/dry-run', { json: { text: broken } })).body.errors[0].line).toBe(line);

    // A lab from it: the lab, its cluster room and its report all run the custom scenario.
    const lab = await createLab({ scenario: id, timeline: true });
    // The teacher's list of stored labs names it by its title, a preset too.
    const preset = await createLab({ scenario: 'clock-skew' });
    const stored = (await call('/api/labs', { bearer: TEACHER_KEY })).body.labs as { code: string; scenario: string; scenarioTitle: unknown }[];
    expect(stored.find((l) => l.code === lab.code)).toMatchObject({ scenario: id, scenarioTitle: { fr: 'Atelier <horloges> & NTP', en: 'Clock <workshop> & NTP' } });
    expect(stored.find((l) => l.code === preset.code)!.scenarioTitle).toEqual(getScenario('clock-skew')!.title);
    const info = await call(`/api/labs/${lab.code}`);
    expect(info.body.scenarioId ?? info.body.scenario).toBe(id);
    const st = await simState(lab);
    expect(st.sim!.config.clusterName).toBe('atelier');
    expect(st.meta!.scenario!.objectives.find((o) => o.id === 'fix-pve3')!.points).toBe(60);
    expect(st.meta!.timeline.map((t) => t.atMs)).toEqual([60_000, 180_000, 200_000]);
    const j = await join(lab, 'Alice');
    const ws = await openSocket(`/ws/labs/${lab.code}/student?token=${j.token}`);
    await ws.waitFor((m) => m.type === 'welcome', 'welcome');
    expect((await teacher(lab, 'start')).status).toBe(200);
    await ticks(lab, 3, [ws]);
    const report = await call(`/api/labs/${lab.code}/report.json`, { bearer: lab.secret });
    expect(report.status).toBe(200);
    expect(report.body.lab.scenario).toMatchObject({ id, title: { fr: 'Atelier <horloges> & NTP' } });
    ws.ws.close();

    // Deleted: gone from the list, and no new lab can use it.
    expect((await asTeacher(`/custom/${id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await asTeacher(`/custom/${id}`)).status).toBe(404);
    const again = await call('/api/labs', { json: { scenario: id }, bearer: TEACHER_KEY });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('unknown_scenario');
  });

  it('refuses students, lab secrets and seat tokens on every authoring route, and oversized bodies', async () => {
    const lab = await createLab({ scenario: 'clock-skew' });
    const seat = await join(lab, 'Eve');
    const routes: [string, string][] = [
      ['POST', '/check'],
      ['POST', '/dry-run'],
      ['GET', '/custom'],
      ['POST', '/custom'],
      ['GET', '/custom/custom-0000000000000000'],
      ['PUT', '/custom/custom-0000000000000000'],
      ['DELETE', '/custom/custom-0000000000000000'],
    ];
    for (const [method, path] of routes)
      for (const bearer of [undefined, lab.secret, seat.token, lab.code]) {
        const r = await call(`/api/scenarios${path}`, { method, bearer, ...(method === 'POST' || method === 'PUT' ? { json: { text: customText() } } : {}) });
        expect(r.status, `${method} ${path} with ${bearer ? 'a student/lab credential' : 'nothing'}`).toBe(401);
      }
    // A custom id someone guessed is not a preset: lab creation still needs the instructor key.
    expect((await call('/api/labs', { json: { scenario: 'custom-0000000000000000' }, bearer: lab.secret })).status).toBe(401);
    // The public catalogue stays public.
    expect((await call('/api/scenarios')).status).toBe(200);
    // Too big: refused before parsing.
    const big = await asTeacher('/check', { json: { text: 'x'.repeat(300_000) } });
    expect(big.status).toBe(413);
    const long = await asTeacher('/check', { json: { text: ' '.repeat(70_000) } });
    expect(long.body.errors[0].message.en).toMatch(/too long/);
  });
});
