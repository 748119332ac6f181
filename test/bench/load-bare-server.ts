// Starts the bare baseline worker (test/bench/bare/) with wrangler dev on a free port, in its own
// process group so its CPU can be read apart from anything else on the machine.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { env, freePort, root } from '../support/dev-server';

export async function startBareServer(): Promise<{ base: string; process: ChildProcess; stop(): Promise<void> }> {
  const stateDir = mkdtempSync(join(tmpdir(), 'quorum-bare-'));
  const port = await freePort();
  let log = '';
  const dev = spawn(
    'wrangler',
    ['dev', '--config', join(root, 'test', 'bench', 'bare', 'wrangler.toml'), '--ip', '127.0.0.1', '--port', String(port), '--persist-to', stateDir, '--show-interactive-dev-session=false'],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  dev.stdout!.on('data', (d) => (log += String(d)));
  dev.stderr!.on('data', (d) => (log += String(d)));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(`${base}/broadcast/probe`, { method: 'POST' });
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (i > 600 || dev.exitCode !== null) throw new Error(`bare wrangler dev did not start:\n${log}`);
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
