import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CASES } from "./cases.ts";
import { createNodeVm, type NodeVm } from "./harness.ts";

let vm: NodeVm;
beforeAll(async () => {
  vm = await createNodeVm();
});
afterAll(() => vm.dispose());

describe("node compatibility suite", () => {
  it("has at least 80 cases", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(80);
  });
  CASES.forEach((c, i) => {
    it(c.name, async () => {
      const dir = `/workspace/case${i}`;
      const files = { ...c.files, ...(c.js !== undefined ? { "main.js": c.js } : {}) };
      await vm.exec(`mkdir -p ${dir}`);
      for (const [name, content] of Object.entries(files)) await vm.write(`${dir}/${name}`, content);
      const r = await vm.exec(c.cmd ?? "node main.js", {
        cwd: dir,
        ...(c.stdin !== undefined ? { stdin: c.stdin } : {}),
      });
      const expected = c.stdout;
      const stdout = r.stdout.replaceAll(dir, "/workspace");
      if (typeof expected === "string") expect(stdout, r.stderr).toBe(expected);
      else expect(stdout, r.stderr).toMatch(expected);
      if (c.stderr) expect(r.stderr.replaceAll(dir, "/workspace")).toMatch(c.stderr);
      expect(r.exitCode, r.stderr).toBe(c.code ?? 0);
    });
  });
});
