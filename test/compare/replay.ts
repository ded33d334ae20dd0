/**
 * Replays recorded fixtures against a VM and compares the result with what real bash did.
 * The VM is anything with the three methods below; `AgentOS` is the one the tests use.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { caseEnv } from "./env.ts";
import { normaliseStderr } from "./normalise.ts";
import { allCompareFields, type CompareField, type Fixture } from "./types.ts";

export interface ExecOptions {
  cwd: string;
  env: Record<string, string>;
  stdin?: string;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** The part of the VM's API a replay needs. */
export interface ReplayVm {
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  writeFile(path: string, content: string, options: { createParents: true }): Promise<unknown>;
  exec(script: string, options: ExecOptions): Promise<ExecResult>;
}

export interface Comparison {
  /** Fields that differ and are compared: the case fails when this is not empty. */
  readonly failed: readonly CompareField[];
  /** Fields that differ but the case does not compare (e.g. stderr wording). */
  readonly ignored: readonly CompareField[];
  /** What the VM did, stderr normalised. */
  readonly actual: ExecResult;
  /** Human-readable: the script, then a diff per differing field (`-` recorded, `+` VM). */
  readonly report: string;
}

/** Where replays create their directories inside the VM; each case gets a fresh one. */
export const replayRoot = "/tmp/compare";
let replayCount = 0;

/**
 * Writes the fixture's files into a fresh VM directory, runs its script there with the same
 * environment the recording used (HOME = that directory), and compares stdout, normalised stderr
 * and the exit code. Without fixture stdin the VM is expected to give the script empty stdin, as
 * the recording's /dev/null did.
 */
export async function replayCase(
  vm: ReplayVm,
  fixture: Fixture,
  compare: readonly CompareField[] = allCompareFields,
): Promise<Comparison> {
  replayCount += 1;
  const dir = `${replayRoot}/${replayCount}-${fixture.name}`;
  await vm.mkdir(dir, { recursive: true });
  for (const [path, content] of Object.entries(fixture.files)) {
    await vm.writeFile(`${dir}/${path}`, content, { createParents: true });
  }
  const options: ExecOptions = { cwd: dir, env: caseEnv(dir) };
  if (fixture.stdin !== null) options.stdin = fixture.stdin;
  const run = await vm.exec(fixture.script, options);
  return compareRun(fixture, { ...run, stderr: normaliseStderr(run.stderr) }, compare);
}

/** Compares one run (stderr already normalised) with a fixture. */
export function compareRun(
  fixture: Fixture,
  actual: ExecResult,
  compare: readonly CompareField[] = allCompareFields,
): Comparison {
  const differing = allCompareFields.filter((field) => fixture[field] !== actual[field]);
  const failed = differing.filter((field) => compare.includes(field));
  const ignored = differing.filter((field) => !compare.includes(field));
  const sections = differing.map((field) => {
    const label = compare.includes(field) ? field : `${field} (not compared)`;
    if (field === "exitCode") return `${label}: recorded ${fixture.exitCode}, VM ${actual.exitCode}`;
    return `${label}:\n${lineDiff(fixture[field], actual[field])}`;
  });
  const report = [`case ${fixture.name}`, indent(`$ ${fixture.script}`), ...sections].join("\n");
  return { failed, ignored, actual, report };
}

function indent(text: string): string {
  return text.replace(/^/gm, "    ");
}

/**
 * A minimal line diff (longest common subsequence): `-` recorded only, `+` VM only, ` ` both.
 * A missing final newline shows as an extra line `\ no newline at end`, much as diff(1) does.
 */
export function lineDiff(expected: string, actual: string): string {
  const a = splitLines(expected);
  const b = splitLines(actual);
  if (a.length * b.length > 4_000_000) {
    return `${indent(`- ${a.join("\n- ")}`)}\n${indent(`+ ${b.join("\n+ ")}`)}`;
  }
  // lcs[i][j] = length of the common subsequence of a[i..] and b[j..]
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push(`  ${a[i++]}`);
      j++;
    } else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      out.push(`- ${a[i++]}`);
    } else {
      out.push(`+ ${b[j++]}`);
    }
  }
  return indent(out.join("\n"));
}

function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  else lines.push("\\ no newline at end");
  return lines;
}

const fixturesDir = join(fileURLToPath(new URL(".", import.meta.url)), "fixtures");

/** Every recorded fixture, family files in name order, cases by name within a family. */
export function loadFixtures(dir: string = fixturesDir): Fixture[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .flatMap((file) => JSON.parse(readFileSync(join(dir, file), "utf8")) as Fixture[]);
}
