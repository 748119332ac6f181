// Builds the browser UI into dist/web: bundles each web/*.ts entry with esbuild
// and copies web/*.html, web/*.css, web/_headers and web/assets/** as they are.
import { build } from "esbuild";
import { cp, mkdir, readdir, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const webDir = join(root, "web");
const outDir = join(root, "dist", "web");

/** Lists web/ files (not folders) whose names end with one of `exts`. */
export async function listEntries(dir, exts) {
  const items = await readdir(dir, { withFileTypes: true });
  return items
    .filter((d) => d.isFile() && exts.some((ext) => d.name.endsWith(ext)) && !d.name.endsWith(".d.ts"))
    .map((d) => d.name)
    .sort();
}

export async function buildWeb({ quiet = false } = {}) {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });

  const entries = await listEntries(webDir, [".ts"]);
  if (entries.length > 0) {
    await build({
      entryPoints: entries.map((name) => join(webDir, name)),
      outdir: outDir,
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      minify: true,
      sourcemap: true,
      logLevel: quiet ? "warning" : "info",
    });
  }

  const statics = await listEntries(webDir, [".html", ".css"]);
  for (const name of statics) await cp(join(webDir, name), join(outDir, name));
  // Security headers of the static pages (Workers Static Assets reads _headers).
  await cp(join(webDir, "_headers"), join(outDir, "_headers"));
  const assets = join(webDir, "assets");
  if (existsSync(assets)) await cp(assets, join(outDir, "assets"), { recursive: true });

  if (!quiet) console.log(`web: ${entries.length} script(s), ${statics.length} page/style file(s) -> dist/web`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await buildWeb();
}
