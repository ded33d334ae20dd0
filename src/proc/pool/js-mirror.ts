/**
 * Worker code loaded as plain JavaScript when agentos-vm runs from its TypeScript sources (tests,
 * development). Node strips types in every worker isolate anew, which more than doubled a worker's
 * start (~105 ms instead of ~45 ms here); so the source tree (tests excluded) is stripped once,
 * with `node:module`'s own stripTypeScriptTypes, into a content-addressed directory under the OS
 * temp dir, and workers load that. One mirror for all entries keeps each module loaded once per
 * worker. The published build is already JavaScript and skips this.
 */

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import * as nodeModule from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

type Strip = (code: string, options: { mode: "strip" }) => string;

const SRC_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["'](\.{1,2}\/[^"']+\.ts)["']/g;

let mirror: string | null | undefined;

function stripper(): Strip | null {
  const strip = (nodeModule as unknown as { stripTypeScriptTypes?: Strip }).stripTypeScriptTypes;
  return typeof strip === "function" ? strip : null;
}

/** Every non-test `.ts` file under src/, with its content. */
function sources(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") && !e.name.endsWith(".d.ts")) {
        files.set(path, readFileSync(path, "utf8"));
      }
    }
  };
  walk(SRC_ROOT);
  return files;
}

function mirrorDir(): string | null {
  if (mirror !== undefined) return mirror;
  const strip = stripper();
  if (!strip) {
    mirror = null;
    return mirror;
  }
  try {
    const files = sources();
    const hash = createHash("sha256");
    for (const [file, source] of files) hash.update(relative(SRC_ROOT, file)).update("\0").update(source);
    const dir = join(tmpdir(), `agentos-vm-js-${hash.digest("hex").slice(0, 20)}`);
    if (!existsSync(join(dir, "package.json"))) writeMirror(dir, files, strip);
    mirror = dir;
  } catch (err) {
    // A read-only temp dir or similar: let Node strip types in each worker instead.
    console.warn("agentos-vm: could not prepare JavaScript worker modules, using TypeScript:", err);
    mirror = null;
  }
  return mirror;
}

/**
 * The JavaScript twin of a worker-side `.ts` module under src/, or the URL unchanged (already
 * JavaScript, outside src/, or type stripping unavailable).
 */
export function workerModuleUrl(url: URL): URL {
  if (url.protocol !== "file:" || !url.pathname.endsWith(".ts")) return url;
  const file = fileURLToPath(url);
  const rel = relative(SRC_ROOT, file);
  if (rel.startsWith("..")) return url;
  const dir = mirrorDir();
  return dir ? pathToFileURL(join(dir, rel).replace(/\.ts$/, ".js")) : url;
}

function writeMirror(dir: string, files: Map<string, string>, strip: Strip): void {
  const staging = `${dir}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const emit = process.emitWarning;
  // stripTypeScriptTypes announces itself as experimental; the warning is noise for our users.
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (String(warning).includes("stripTypeScriptTypes")) return;
    (emit as (...a: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    for (const [file, source] of files) {
      const js = strip(source, { mode: "strip" }).replace(IMPORT, (m, spec: string) =>
        m.replace(spec, `${spec.slice(0, -3)}.js`),
      );
      const out = join(staging, relative(SRC_ROOT, file)).replace(/\.ts$/, ".js");
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, js);
    }
    writeFileSync(join(staging, "package.json"), '{ "type": "module" }\n');
  } finally {
    process.emitWarning = emit;
  }
  try {
    renameSync(staging, dir);
  } catch {
    // Another process wrote the same content first; theirs is identical.
    rmSync(staging, { recursive: true, force: true });
  }
}
