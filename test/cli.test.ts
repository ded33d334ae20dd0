/** The main job runs end to end: `npm run demo` (agentos-vm demo) offline with the scripted model. */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = promisify(execFile);

it("agentos-vm demo runs a Pi session in a fresh VM and prints the files it created", async () => {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1" };
  delete env.ANTHROPIC_API_KEY;
  delete env.OPENAI_API_KEY;
  const cli = join(import.meta.dirname, "..", "src", "cli", "index.ts");
  const { stdout } = await run(process.execPath, [cli, "demo"], { env, timeout: 60_000 });
  expect(stdout).toContain("DEMO MODE — scripted model");
  expect(stdout).toContain("▶ Write /workspace/hello.sh");
  expect(stdout).toContain("hello, world from agentos");
  expect(stdout).toContain("files in /workspace (1):");
  expect(stdout).toContain('echo "hello, world from $(hostname)"');
}, 90_000);

it("rejects an unknown command with usage", async () => {
  const cli = join(import.meta.dirname, "..", "src", "cli", "index.ts");
  const err = await run(process.execPath, [cli, "frobnicate"]).catch((e) => e);
  expect(err.code).toBe(2);
  expect(err.stderr).toContain("usage: agentos-vm run");
});
