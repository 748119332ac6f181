// Starts the app as `npm start` would (web build, local D1 migrations, wrangler dev) in a fresh
// state folder on a free port. Used by the browser tests and the room benchmark.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'node_modules', '.bin');
export const env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`, CI: '1', WRANGLER_SEND_METRICS: 'false' };

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface DevServer {
  base: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** `vars`: extra Worker vars for this run (wrangler dev --var). */
export async function startDevServer(teacherKey: string, vars: Record<string, string> = {}): Promise<DevServer> {
  const build = spawnSync('node', [join(root, 'scripts', 'build-web.mjs')], { cwd: root, env, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`web build failed: ${build.stderr}`);
  const stateDir = mkdtempSync(join(tmpdir(), 'quorum-dev-'));
  const migrate = spawnSync('wrangler', ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', stateDir], {
    cwd: root,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (migrate.status !== 0) throw new Error(`migrations failed: ${migrate.stdout}\n${migrate.stderr}`);
  const port = await freePort();
  let log = '';
  const dev = spawn(
    'wrangler',
    ['dev', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', stateDir, '--var', `TEACHER_KEY:${teacherKey}`, ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]), '--show-interactive-dev-session=false'],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  dev.stdout!.on('data', (d) => (log += String(d)));
  dev.stderr!.on('data', (d) => (log += String(d)));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(`${base}/api/health`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (i > 600 || dev.exitCode !== null) throw new Error(`wrangler dev did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    process: dev,
    async stop() {
      if (dev.pid) {
        try {
          process.kill(-dev.pid, 'SIGTERM');
        } catch {
          /* gone */
        }
      }
      await new Promise((r) => setTimeout(r, 300));
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
