// `npm start`: local development server.
// 1. makes sure .dev.vars holds a TEACHER_KEY, 2. applies D1 migrations locally,
// 3. builds the web UI, 4. runs `wrangler dev` on 127.0.0.1.
// `npm start -- --lan` (or HOST=0.0.0.0) serves the room's network instead: wrangler listens on
// every interface and join links / QR codes carry this machine's LAN address (PUBLIC_ORIGIN).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildWeb } from "./build-web.mjs";
import { ensureTeacherKey } from "./dev-vars.mjs";
import { lanAddress } from "./lan.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "node_modules", ".bin");
const wrangler = join(bin, "wrangler");
const lan = process.argv.includes("--lan") || process.env.HOST === "0.0.0.0";
const host = lan ? "0.0.0.0" : (process.env.HOST ?? "127.0.0.1");
const port = process.env.PORT ?? "8787";

// Wrangler needs Node >= 22: the `node` devDependency provides it in node_modules/.bin.
const env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ""}` };

function section(title) {
  console.log(`\n== ${title}`);
}

section("Teacher key (.dev.vars)");
const devVarsPath = join(root, ".dev.vars");
const before = existsSync(devVarsPath) ? readFileSync(devVarsPath, "utf8") : "";
const { text, key, created } = ensureTeacherKey(before);
if (created) writeFileSync(devVarsPath, text, { mode: 0o600 });
console.log(created ? "Created a new TEACHER_KEY in .dev.vars" : "Using TEACHER_KEY from .dev.vars");

section("D1 migrations (local)");
// CI=1 and no stdin: wrangler skips its "continue?" prompt.
const migrate = spawnSync(wrangler, ["d1", "migrations", "apply", "DB", "--local"], {
  cwd: root,
  env: { ...env, CI: "1" },
  stdio: ["ignore", "inherit", "inherit"],
});
if (migrate.status !== 0) {
  console.error("Applying D1 migrations failed.");
  process.exit(migrate.status ?? 1);
}

section("Web build");
await buildWeb();

section("wrangler dev");
const args = ["dev", "--ip", host, "--port", port];
if (lan) {
  const ip = lanAddress();
  if (!ip) console.warn("No LAN address found: join links will use the address the teacher's browser opened.");
  else {
    const origin = `http://${ip}:${port}`;
    args.push("--var", `PUBLIC_ORIGIN:${origin}`);
    console.log(`Quorum Lab on the room's network: ${origin}/  (students open the join link or QR code)`);
    console.log(`Teacher dashboard:                ${origin}/teacher.html`);
  }
} else console.log(`Quorum Lab:  http://${host}:${port}/  (this machine only; \`npm start -- --lan\` for the classroom)`);
console.log(`Teacher key: ${key}`);
const dev = spawn(wrangler, args, { cwd: root, env, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => dev.kill(signal));
}
dev.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
