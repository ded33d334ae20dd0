import { describe, expect, it } from "vitest";
import { AgentOS } from "../../src/index.ts";
import { loadCommandSet } from "../../src/proc/software/index.ts";
import { buildAospkg } from "../../src/proc/software/test-fixtures.ts";

const echo = loadCommandSet().get("echo")!.bytes;

describe("software option", () => {
  it("adds .wasm commands and .aospkg packages to /usr/local/bin", async () => {
    const pkg = buildAospkg({
      name: "greet",
      commands: [["hello", "bin/hello"]],
      files: [{ path: "/bin/hello", data: echo, mode: 0o755 }],
    });
    const vm = await AgentOS.create({
      software: [
        { kind: "wasm", name: "myecho", bytes: echo },
        { kind: "aospkg", bytes: pkg },
      ],
    });
    try {
      expect(await vm.exists("/usr/local/bin/myecho")).toBe(true);
      const r = await vm.exec("myecho one && hello two | tr a-z A-Z && command -v hello");
      expect(r).toMatchObject({ stdout: "one\nTWO\n/usr/local/bin/hello\n", exitCode: 0 });
    } finally {
      await vm.dispose();
    }
  });

  it("rejects what is not a command, and builds no VM", async () => {
    await expect(
      AgentOS.create({ software: [{ kind: "wasm", name: "bad", bytes: new Uint8Array([1, 2, 3]) }] }),
    ).rejects.toMatchObject({ code: "ENOEXEC" });
    await expect(
      AgentOS.create({ software: [{ kind: "aospkg", bytes: new Uint8Array(10) }] }),
    ).rejects.toMatchObject({
      code: "EAOSPKG",
    });
  });
});
