/**
 * The builtin grep against the host's GNU grep (LC_ALL=C) on the same files: stdout and exit code
 * must be equal; stderr must be empty or not alike (messages are compared exactly and reported).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CASES, type Case, TREE } from "./grep-cases.ts";
import { type BuiltinVm, bootBuiltinVm, writeHostTree } from "./harness.ts";

const HOST_GREP = "/usr/bin/grep";
const hasHostGrep =
  existsSync(HOST_GREP) &&
  /GNU grep\) 3\./.test(spawnSync(HOST_GREP, ["--version"]).stdout?.toString() ?? "");

let vm: BuiltinVm;
let hostDir: string;
const stderrDiffs: string[] = [];

beforeAll(async () => {
  vm = await bootBuiltinVm();
  await vm.writeTree("/work", TREE);
  hostDir = mkdtempSync(join(tmpdir(), "agentos-grep-"));
  writeHostTree(hostDir, TREE);
});

afterAll(async () => {
  await vm?.dispose();
  if (hostDir) rmSync(hostDir, { recursive: true, force: true });
  if (stderrDiffs.length > 0)
    console.log(`stderr differences (${stderrDiffs.length}):\n${stderrDiffs.join("\n")}`);
});

function normalise(out: Buffer, c: Case): string {
  const text = out.toString("latin1");
  if (!c.sort) return text;
  return `${text
    .split("\n")
    .filter((l) => l !== "")
    .sort()
    .join("\n")}\n`;
}

function hostGrep(c: Case) {
  const r = spawnSync(HOST_GREP, c.args, {
    argv0: "grep",
    cwd: hostDir,
    env: { LC_ALL: "C", PATH: "/usr/bin:/bin" },
    input: c.stdin ?? "",
  });
  return { stdout: r.stdout, stderr: r.stderr.toString("utf8"), code: r.status ?? -1 };
}

describe.runIf(hasHostGrep)("grep builtin vs GNU grep", () => {
  it.each(CASES.map((c) => [c.args.join(" ") || "(no args)", c] as const))("grep %s", async (_name, c) => {
    const host = hostGrep(c);
    const ours = await vm.run(["grep", ...c.args], { stdin: c.stdin });
    expect({ stdout: normalise(ours.stdout, c), code: ours.code }).toEqual({
      stdout: normalise(host.stdout, c),
      code: host.code,
    });
    const sortLines = (s: string) => s.split("\n").sort().join("\n");
    if (sortLines(ours.stderr) !== sortLines(host.stderr)) {
      stderrDiffs.push(
        `grep ${c.args.join(" ")}\n  host: ${JSON.stringify(host.stderr)}\n  ours: ${JSON.stringify(ours.stderr)}`,
      );
    }
    expect(ours.stderr === "").toBe(host.stderr === "");
  });
});
