// `npm start`: local development server.
// 1. makes sure .dev.vars holds a TEACHER_KEY, 2. applies D1 migrations locally,
// 3. builds the web UI, 4. runs `wrangler dev` on 127.0.0.1.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildWeb } from "./build-web.mjs";
import { ensureTeacherKey } from "./dev-vars.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "node_modules", ".bin");
const wrangler = join(bin, "wrangler");
const host = "127.0.0.1";
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
console.log(`Quorum Lab:  http://${host}:${port}/`);
console.log(`Teacher key: ${key}`);
const dev = spawn(wrangler, ["dev", "--ip", host, "--port", port], { cwd: root, env, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => dev.kill(signal));
}
dev.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
