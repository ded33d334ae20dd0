/**
 * Records the comparison fixtures from the host's real bash and GNU tools.
 *
 *   node test/compare/record.ts                 re-record every case
 *   node test/compare/record.ts --only sed-     re-record the cases whose name contains "sed-"
 *   node test/compare/record.ts --check         record into memory and report any case whose
 *                                               fixture would change (exit 1); writes nothing
 *
 * Host tools needed (Debian 12 package names): bash, coreutils, sed, gawk (the awk cases are
 * POSIX-only and give the same output with mawk), grep, findutils, diffutils (diff, cmp), gzip,
 * tar, jq, yq (python-yq), ripgrep, fd-find, tree, bc, bsdextrautils (column, rev), binutils
 * (strings):
 *
 *   apt-get install gawk jq yq ripgrep fd-find tree bc bsdextrautils binutils
 *   ln -s /usr/bin/fdfind /usr/local/bin/fd     # Debian names fd `fdfind`; the cases call `fd`
 *
 * The script refuses to record when a tool is missing rather than writing "command not found"
 * into fixtures. See README.md for the environment and the normalisation applied.
 */
import { spawnSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { constants, tmpdir } from "node:os";
import { dirname, isAbsolute, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { caseFamilies, validateCases } from "./cases/index.ts";
import { caseEnv, caseTimeoutMs } from "./env.ts";
import { normaliseStderr } from "./normalise.ts";
import type { Case, Fixture } from "./types.ts";

const here = dirname(fileURLToPath(import.meta.url));
const fixturesDir = join(here, "fixtures");

/** Probed with `command -v` before recording. */
const requiredTools =
  "bash ls sed awk grep find xargs diff cmp gzip tar jq yq rg fd tree bc column rev strings timeout".split(
    " ",
  );

interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs `bash -c script` in `dir` with the case environment; stdin is /dev/null unless given. */
function runBash(script: string, dir: string, stdin: string | undefined): RunResult {
  const devNull = stdin === undefined ? openSync("/dev/null", "r") : undefined;
  try {
    const result = spawnSync("bash", ["-c", script], {
      cwd: dir,
      env: caseEnv(dir),
      input: stdin,
      stdio: [devNull ?? "pipe", "pipe", "pipe"],
      timeout: caseTimeoutMs,
      maxBuffer: 16 * 1024 * 1024,
    });
    if (result.error) throw result.error;
    const exitCode = result.status ?? 128 + (result.signal ? constants.signals[result.signal] : 0);
    return { stdout: utf8(result.stdout), stderr: utf8(result.stderr), exitCode };
  } finally {
    if (devNull !== undefined) closeSync(devNull);
  }
}

const decoder = new TextDecoder("utf-8", { fatal: true });
function utf8(bytes: Buffer): string {
  // Fixtures are JSON text: a case that prints binary must pipe it through od or a checksum.
  return decoder.decode(bytes);
}

function writeCaseFiles(dir: string, files: Readonly<Record<string, string>>): void {
  for (const [path, content] of Object.entries(files)) {
    if (isAbsolute(path) || normalize(path).startsWith("..")) throw new Error(`file path escapes: ${path}`);
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}

function recordCase(family: string, c: Case, recordedWith: string): Fixture {
  const dir = mkdtempSync(join(tmpdir(), "agentos-compare-"));
  try {
    writeCaseFiles(dir, c.files ?? {});
    const run = runBash(c.script, dir, c.stdin);
    return {
      name: c.name,
      family,
      script: c.script,
      files: c.files ?? {},
      stdin: c.stdin ?? null,
      stdout: run.stdout,
      stderr: normaliseStderr(run.stderr),
      exitCode: run.exitCode,
      recordedWith,
    };
  } catch (error) {
    throw new Error(`case ${c.name}: ${(error as Error).message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function firstLine(command: string): string {
  const run = runBash(command, tmpdir(), undefined);
  return run.stdout.split("\n")[0] ?? "";
}

function hostDescription(): string {
  const bash = /version (\S+)/.exec(firstLine("bash --version"))?.[1] ?? "unknown";
  const coreutils = /\(GNU coreutils\) (\S+)/.exec(firstLine("ls --version"))?.[1] ?? "unknown";
  return `GNU bash ${bash}; GNU coreutils ${coreutils}`;
}

function checkTools(): void {
  const probe = requiredTools.map((t) => `command -v ${t} >/dev/null || echo ${t}`).join("; ");
  const missing = runBash(probe, tmpdir(), undefined).stdout.trim().split("\n").filter(Boolean);
  if (missing.length > 0) {
    throw new Error(`missing host tools: ${missing.join(", ")} (see the header of record.ts)`);
  }
}

function fixturePath(family: string): string {
  return join(fixturesDir, `${family}.json`);
}

function readFixtures(family: string): Fixture[] {
  try {
    return JSON.parse(readFileSync(fixturePath(family), "utf8")) as Fixture[];
  } catch {
    return [];
  }
}

/** Stable text: sorted by name, two-space JSON, trailing newline. */
function formatFixtures(fixtures: Fixture[]): string {
  const sorted = [...fixtures].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return `${JSON.stringify(sorted, null, 2)}\n`;
}

function main(): void {
  const { values } = parseArgs({ options: { only: { type: "string" }, check: { type: "boolean" } } });
  validateCases(caseFamilies);
  checkTools();
  process.umask(0o022);
  const recordedWith = hostDescription();
  const changed: string[] = [];
  let recorded = 0;
  mkdirSync(fixturesDir, { recursive: true });

  for (const { family, cases } of caseFamilies) {
    const selected = cases.filter((c) => values.only === undefined || c.name.includes(values.only));
    if (selected.length === 0) continue;
    const existing = readFixtures(family);
    const known = new Set(cases.map((c) => c.name));
    const fresh = new Map(selected.map((c) => [c.name, recordCase(family, c, recordedWith)]));
    recorded += fresh.size;
    const kept = existing.filter((f) => known.has(f.name) && !fresh.has(f.name));
    const next = formatFixtures([...kept, ...fresh.values()]);
    const before = new Map(existing.map((f) => [f.name, JSON.stringify(f)]));
    for (const [name, fixture] of fresh) {
      if (before.get(name) !== JSON.stringify(fixture)) changed.push(name);
    }
    if (!values.check) writeFileSync(fixturePath(family), next);
  }

  console.log(`${values.check ? "checked" : "recorded"} ${recorded} cases (${recordedWith})`);
  if (changed.length > 0) {
    const shown = changed.length > 20 ? `${changed.slice(0, 20).join(", ")}, …` : changed.join(", ");
    console.log(`${values.check ? "would change" : "changed"} ${changed.length}: ${shown}`);
    if (values.check) process.exitCode = 1;
  }
}

main();
