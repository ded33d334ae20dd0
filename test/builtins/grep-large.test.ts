/**
 * Inputs larger than one read chunk (512 KiB): lines, context and numbering across chunk
 * boundaries, a line longer than a chunk, against the host's GNU grep.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuiltinVm, bootBuiltinVm } from "./harness.ts";

const HOST_GREP = "/usr/bin/grep";
const hasHostGrep = existsSync(HOST_GREP);

function bigText(): string {
  const parts: string[] = [];
  let seed = 42;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed;
  };
  for (let i = 0; i < 40_000; i++) {
    const r = rand();
    const word = r % 97 === 0 ? "needle" : r % 13 === 0 ? "Needle-ish" : "hay";
    parts.push(`${i} ${word} ${"x".repeat(r % 80)}`);
    if (i === 20_000) parts.push(`long ${"y".repeat(1_200_000)} needle at the end`);
  }
  return `${parts.join("\n")}\n`;
}

let vm: BuiltinVm;
let hostDir: string;

beforeAll(async () => {
  const text = bigText();
  vm = await bootBuiltinVm();
  await vm.vfs.writeFile("/work/big.txt", text);
  await vm.vfs.writeFile("/work/big-noeol.txt", text.slice(0, -1));
  hostDir = mkdtempSync(join(tmpdir(), "agentos-grep-big-"));
  writeFileSync(join(hostDir, "big.txt"), text);
  writeFileSync(join(hostDir, "big-noeol.txt"), text.slice(0, -1));
});

afterAll(async () => {
  await vm?.dispose();
  if (hostDir) rmSync(hostDir, { recursive: true, force: true });
});

const CASES: string[][] = [
  ["-c", "needle", "big.txt"],
  ["-n", "needle", "big.txt"],
  ["-n", "-B3", "-A2", "needle", "big.txt"],
  ["-b", "-o", "needle", "big.txt"],
  ["-vc", "hay", "big.txt"],
  ["-m5", "-n", "-A3", "needle", "big.txt"],
  ["-in", "-C1", "needle-ISH", "big.txt"],
  ["-n", "end$", "big.txt"],
  ["-c", "", "big-noeol.txt"],
  ["-n", "x$", "big-noeol.txt"],
  ["-vn", "-e", "hay", "-e", "needle", "big.txt"],
];

describe.runIf(hasHostGrep)("grep builtin on inputs larger than a chunk", () => {
  it.each(CASES.map((args) => [args.join(" "), args] as const))("grep %s", async (_name, args) => {
    const host = spawnSync(HOST_GREP, args, {
      cwd: hostDir,
      env: { LC_ALL: "C" },
      maxBuffer: 1 << 28,
    });
    const ours = await vm.run(["grep", ...args]);
    expect(ours.code).toBe(host.status);
    expect(ours.stdout.byteLength).toBe(host.stdout.byteLength);
    expect(ours.stdout.equals(host.stdout)).toBe(true);
  });

  it("reads standard input from a pipe in pieces", async () => {
    const text = bigText();
    const host = spawnSync(HOST_GREP, ["-n", "-A1", "needle"], {
      input: text,
      env: { LC_ALL: "C" },
      maxBuffer: 1 << 28,
    });
    const ours = await vm.run(["grep", "-n", "-A1", "needle"], { stdin: text });
    expect(ours.stdout.equals(host.stdout)).toBe(true);
  });
});
