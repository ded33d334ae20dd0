import { describe, expect, it } from "vitest";
import { loadCommandSet } from "./command-set.ts";
import { minimalCommand } from "./test-fixtures.ts";
import { readExports, readImports, readMemoryLimits, WasmFormatError } from "./wasm-imports.ts";

const i32 = "i32" as const;

describe("readImports", () => {
  it("joins each function import to its signature", () => {
    const bytes = minimalCommand({
      imports: [
        { module: "wasi_snapshot_preview1", name: "fd_write", params: [i32, i32, i32, i32], results: [i32] },
        { module: "host_fs", name: "fd_size", params: [i32], results: ["i64"] },
        { module: "host_fs", name: "ftruncate", params: [i32, "i64"], results: [i32] },
        { module: "wasi_snapshot_preview1", name: "proc_exit", params: [i32] },
      ],
    });
    expect(readImports(bytes)).toEqual([
      {
        module: "wasi_snapshot_preview1",
        name: "fd_write",
        kind: "func",
        params: [i32, i32, i32, i32],
        results: [i32],
      },
      { module: "host_fs", name: "fd_size", kind: "func", params: [i32], results: ["i64"] },
      { module: "host_fs", name: "ftruncate", kind: "func", params: [i32, "i64"], results: [i32] },
      { module: "wasi_snapshot_preview1", name: "proc_exit", kind: "func", params: [i32], results: [] },
    ]);
    // Agrees with the engine's own view of the module.
    const engine = WebAssembly.Module.imports(new WebAssembly.Module(bytes));
    expect(engine.map((i) => `${i.module}.${i.name}:${i.kind}`)).toEqual(
      readImports(bytes).map((i) => `${i.module}.${i.name}:function`),
    );
  });

  it("returns nothing for a module without imports", () => {
    expect(readImports(minimalCommand())).toEqual([]);
  });

  it("reads exports and memory limits", () => {
    const bytes = minimalCommand({ memoryPages: 17 });
    expect(readExports(bytes)).toEqual([
      { name: "memory", kind: "memory" },
      { name: "_start", kind: "func" },
    ]);
    expect(readMemoryLimits(bytes)).toEqual({ initial: 17, shared: false, imported: false });
  });

  it("rejects what is not a core module, with ENOEXEC", () => {
    const good = minimalCommand({ imports: [{ module: "m", name: "f" }] });
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(0), /missing the \\0asm magic/],
      [new TextEncoder().encode("#!/bin/sh\necho hi\n"), /missing the \\0asm magic/],
      [
        Uint8Array.from([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0]),
        /binary version 65549 is not 1 \(a component\?\)/,
      ],
      [good.subarray(0, 20), /section \d runs past the end \(truncated\)/],
    ];
    for (const [bytes, message] of cases) {
      let caught: unknown;
      try {
        readImports(bytes);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(WasmFormatError);
      expect((caught as WasmFormatError).code).toBe("ENOEXEC");
      expect((caught as Error).message).toMatch(message);
    }
  });
});

describe("readImports on the pinned binaries", () => {
  const set = loadCommandSet();
  const importsOf = (command: string) => {
    const imports = readImports(set.get(command)!.bytes);
    return new Map(
      imports.map((i) => [`${i.module}.${i.name}`, `(${i.params.join(",")})->(${i.results.join(",")})`]),
    );
  };

  it("sees the v3 process ABI in the shell", () => {
    const sh = importsOf("sh");
    expect(sh.get("host_process.proc_spawn_v3")).toBe(`(${Array(17).fill("i32").join(",")})->(i32)`);
    expect(sh.get("host_process.proc_waitpid_v2")).toBe("(i32,i32,i32,i32,i32,i32)->(i32)");
    expect(sh.get("host_fs.path_mode")).toBe("(i32,i32,i32,i32)->(i32)");
    expect(sh.get("host_fs.path_size")).toBe("(i32,i32,i32,i32)->(i64)");
    expect(sh.get("host_net.net_send")).toBe("(i32,i32,i32,i32,i32)->(i32)");
  });

  it("sees the 3-parameter path_mode of the legacy binaries", () => {
    expect(importsOf("rg").get("host_fs.path_mode")).toBe("(i32,i32,i32)->(i32)");
    expect(importsOf("rg").get("host_fs.fd_mode")).toBe("(i32)->(i32)");
    expect([...importsOf("jq").keys()].every((k) => k.startsWith("wasi_snapshot_preview1."))).toBe(true);
  });

  it("agrees with WebAssembly.Module.imports on every distinct module", () => {
    const seen = new Set<string>();
    for (const record of set.values()) {
      if (seen.has(record.hash)) continue;
      seen.add(record.hash);
      const ours = readImports(record.bytes).map((i) => `${i.module}.${i.name}`);
      const engine = WebAssembly.Module.imports(new WebAssembly.Module(record.bytes));
      expect(ours).toEqual(engine.map((i) => `${i.module}.${i.name}`));
      const memory = readMemoryLimits(record.bytes)!;
      expect(memory).toMatchObject({ shared: false, imported: false });
      expect(memory.maximum).toBeUndefined();
      expect(memory.initial).toBeGreaterThanOrEqual(17);
      expect(memory.initial).toBeLessThanOrEqual(39);
    }
  });
});
