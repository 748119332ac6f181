// Starts a benchmark worker (the bare baseline of test/bench/bare/, or another folder of
// test/bench/) with wrangler dev on a free port, in its own process group so its CPU can be read
// apart from anything else on the machine.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { env, freePort, root } from '../support/dev-server';

export interface BenchWorker {
  base: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** The bare hibernating Durable Object of `npm run bench:load`. */
export function startBareServer(): Promise<BenchWorker> {
  return startBenchWorker('bare', '/broadcast/probe');
}

/** The worker of test/bench/<folder>, ready once `readyPath` answers 200 to a POST. */
export async function startBenchWorker(folder: string, readyPath: string): Promise<BenchWorker> {
  const stateDir = mkdtempSync(join(tmpdir(), `quorum-${folder}-`));
  const port = await freePort();
  let log = '';
  const dev = spawn(
    'wrangler',
    ['dev', '--config', join(root, 'test', 'bench', folder, 'wrangler.toml'), '--ip', '127.0.0.1', '--port', String(port), '--persist-to', stateDir, '--show-interactive-dev-session=false'],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  dev.stdout!.on('data', (d) => (log += String(d)));
  dev.stderr!.on('data', (d) => (log += String(d)));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(`${base}${readyPath}`, { method: 'POST' });
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (i > 600 || dev.exitCode !== null) throw new Error(`${folder} wrangler dev did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    process: dev,
    async stop() {
      try {
        if (dev.pid) process.kill(-dev.pid, 'SIGTERM');
      } catch {
        /* gone */
      }
      await new Promise((r) => setTimeout(r, 300));
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
