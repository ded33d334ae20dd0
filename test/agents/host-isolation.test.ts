import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";

test("a pi session leaves the host's HOME, cwd and temp dir untouched", () => {
  const home = mkdtempSync(join(tmpdir(), "agentos-home-"));
  const tmp = mkdtempSync(join(tmpdir(), "agentos-tmp-"));
  try {
    const child = spawnSync(process.execPath, [join(import.meta.dirname, "fixtures/host-session.ts")], {
      cwd: home,
      env: { PATH: process.env.PATH ?? "", HOME: home, TMPDIR: tmp, USERPROFILE: home },
      encoding: "utf8",
      timeout: 25_000,
    });
    expect(child.stderr.replace(/.*ExperimentalWarning.*\n?|.*--trace-warnings.*\n?/g, "")).toBe("");
    expect(child.status).toBe(0);
    const { report, requests } = JSON.parse(child.stdout.trim().split("\n").at(-1)!);
    // Three runs (scripted, Anthropic client, OpenAI client), every tool, all completed.
    expect(report).toHaveLength(3);
    for (const run of report) {
      expect(run.text).toBe("All done.");
      expect(run.calls.map((c: string[]) => c[0])).toEqual([
        "write",
        "edit",
        "read",
        "ls",
        "find",
        "grep",
        "bash",
        "bash",
      ]);
      expect(run.calls.every((c: string[]) => c[1] === "completed")).toBe(true);
    }
    expect(new Set(requests)).toEqual(new Set(["POST /v1/messages", "POST /v1/chat/completions"]));
    expect(readdirSync(home)).toEqual([]);
    // The only thing in TMPDIR is the VM's own worker-code cache when it runs from .ts sources
    // (agentos-vm-js-*): no Pi output spill files, nothing else.
    expect(readdirSync(tmp).filter((f) => !f.startsWith("agentos-vm-js-"))).toEqual([]);
  } finally {
    rmSync(home, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  }
});
