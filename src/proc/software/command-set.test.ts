import { createHash } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import {
  type CommandRecord,
  commandsFromSoftware,
  detectAbi,
  getModule,
  loadCommandSet,
  STUB_COMMANDS,
  WASM_DIR_PACKAGES,
} from "./command-set.ts";
import { buildAospkg, minimalCommand } from "./test-fixtures.ts";
import type { WasmImport } from "./wasm-imports.ts";

const set = loadCommandSet();
const get = (name: string): CommandRecord => {
  const record = set.get(name);
  if (!record) throw new Error(`missing command ${name}`);
  return record;
};

describe("loadCommandSet", () => {
  it("contains the commands agents use", () => {
    const required =
      "ls cat sh bash grep egrep sed awk find xargs diff tar gzip gunzip jq rg fd tree yq sort wc head tail";
    for (const name of required.split(" ")) expect(set.has(name), name).toBe(true);
  });

  it("has every pinned command exactly once: 135 names over 114 distinct modules", () => {
    expect(set.size).toBe(135);
    expect(new Set([...set.values()].map((r) => r.hash)).size).toBe(114);
    for (const [name, record] of set) expect(record.name).toBe(name);
  });

  it("is cached for the process", () => {
    expect(loadCommandSet()).toBe(set);
  });

  it("deduplicates identical binaries into one shared buffer", () => {
    for (const group of [
      ["sh", "bash"],
      ["gzip", "gunzip", "zcat"],
      ["grep", "egrep", "fgrep"],
      ["ls", "dir", "vdir"],
      ["[", "test"],
    ]) {
      const [first, ...rest] = group.map(get);
      for (const r of rest) {
        expect(r.hash, `${first!.name} vs ${r.name}`).toBe(first!.hash);
        expect(r.bytes).toBe(first!.bytes);
      }
    }
    expect(get("sh").hash).not.toBe(get("ls").hash);
  });

  it("hashes are the SHA-256 of exactly the module bytes, each in its own ArrayBuffer", () => {
    for (const name of ["sh", "ls", "jq", "true"]) {
      const { bytes, hash } = get(name);
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(hash);
      expect(bytes.byteOffset).toBe(0);
      expect(bytes.byteLength).toBe(bytes.buffer.byteLength);
    }
  });

  it("records the package each command comes from", () => {
    expect(get("ls").package).toBe("@agentos-software/coreutils@0.3.4");
    expect(get("tar").package).toBe("@agentos-software/tar@0.3.5");
    expect(get("awk").package).toBe("@agentos-software/gawk@0.3.4");
    expect(get("egrep").package).toBe("@rivet-dev/agent-os-grep@0.0.260331072558");
    expect(get("rg").package).toBe("@rivet-dev/agent-os-ripgrep@0.0.260331072558");
  });

  it("keeps the 13 'not supported' entries, marked stub, sharing one binary", () => {
    const stubs = [...set.values()].filter((r) => r.stub);
    expect(stubs.map((r) => r.name).sort()).toEqual([...STUB_COMMANDS].sort());
    expect(new Set(stubs.map((r) => r.hash)).size).toBe(1);
    expect(new TextDecoder().decode(get("install").bytes)).toContain("command not supported in sandbox");
  });

  it("detects the ABI generation of each binary", () => {
    const byAbi = (abi: string) =>
      [...set.values()]
        .filter((r) => r.abi === abi)
        .map((r) => r.name)
        .sort();
    expect(byAbi("wasi-only")).toEqual(["jq", "yq"]);
    expect(byAbi("legacy")).toEqual(["egrep", "fd", "fgrep", "grep", "rg", "tree"]);
    expect(byAbi("v3")).toHaveLength(127);
  });

  it("matches the command lists in the older packages' dist/index.js", async () => {
    const require = createRequire(import.meta.url);
    for (const npmName of WASM_DIR_PACKAGES) {
      const dirs = require.resolve.paths(npmName) ?? [];
      const root = dirs.map((d) => join(d, npmName)).find((d) => existsSync(join(d, "package.json")))!;
      const { default: pkg } = (await import(pathToFileURL(join(root, "dist", "index.js")).href)) as {
        default: { commands: { name: string }[]; commandDir: string };
      };
      const listed = pkg.commands.map((c) => c.name).sort();
      expect(readdirSync(pkg.commandDir).sort()).toEqual(listed);
      for (const name of listed) expect(get(name).package.startsWith(`${npmName}@`)).toBe(true);
    }
  });
});

describe("getModule", () => {
  it("compiles every distinct module once; each exports memory and _start", () => {
    const started = performance.now();
    const hashes = new Set([...set.values()].map((r) => r.hash));
    for (const hash of hashes) {
      const module = getModule(hash);
      const exports = WebAssembly.Module.exports(module);
      expect(exports).toContainEqual({ name: "memory", kind: "memory" });
      expect(exports).toContainEqual({ name: "_start", kind: "function" });
      expect(getModule(hash)).toBe(module);
    }
    // V8 compiles function bodies lazily, so this stays well under a second on a laptop.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("rejects an unknown hash", () => {
    expect(() => getModule("0".repeat(64))).toThrow(/no command module with hash 0{64}/);
  });
});

describe("commandsFromSoftware", () => {
  it("turns a .wasm and an .aospkg into command records", () => {
    const hello = minimalCommand();
    const other = minimalCommand({ imports: [{ module: "host_net", name: "net_send" }] });
    const records = commandsFromSoftware([
      { kind: "wasm", name: "hello", bytes: hello },
      {
        kind: "aospkg",
        bytes: buildAospkg({
          name: "tools",
          version: "1.2.3",
          commands: [
            ["hi", "bin/hi"],
            ["howdy", "bin/hi"],
          ],
          files: [{ path: "/bin/hi", data: other }],
        }),
      },
    ]);
    expect([...records.keys()]).toEqual(["hello", "hi", "howdy"]);
    expect(records.get("hello")).toMatchObject({ package: "hello", abi: "wasi-only", stub: false });
    expect(records.get("hi")).toMatchObject({ package: "tools@1.2.3", abi: "v3" });
    expect(records.get("howdy")!.bytes).toBe(records.get("hi")!.bytes);
    expect(WebAssembly.Module.exports(getModule(records.get("hi")!.hash))).toHaveLength(2);
  });

  it("follows symlinks inside a package to the module", () => {
    const bytes = buildAospkg({
      commands: [
        ["hi", "bin/hi"],
        ["loop", "bin/loop"],
      ],
      files: [
        { path: "/bin/hi", kind: "symlink", link: "../libexec/hi" },
        { path: "/bin/loop", kind: "symlink", link: "loop" },
        { path: "/libexec/hi", data: minimalCommand() },
      ],
    });
    const pkg = [{ kind: "aospkg" as const, bytes }];
    expect(() => commandsFromSoftware(pkg)).toThrow(
      /command 'loop' of demo: bin\/loop does not lead to a file/,
    );
    const ok = buildAospkg({
      commands: [["hi", "bin/hi"]],
      files: [
        { path: "/bin/hi", kind: "symlink", link: "/libexec/hi" },
        { path: "/libexec/hi", data: minimalCommand() },
      ],
    });
    expect(commandsFromSoftware([{ kind: "aospkg", bytes: ok }]).get("hi")!.abi).toBe("wasi-only");
  });

  it("lets a later source replace an earlier command of the same name", () => {
    const a = minimalCommand();
    const b = minimalCommand({ memoryPages: 2 });
    const records = commandsFromSoftware([
      { kind: "wasm", name: "x", bytes: a },
      { kind: "wasm", name: "x", bytes: b, package: "mine" },
    ]);
    expect(records.get("x")).toMatchObject({ package: "mine" });
    expect(records.get("x")!.bytes).toEqual(b);
  });

  it("shares buffers with the base set for identical binaries", () => {
    const records = commandsFromSoftware([{ kind: "wasm", name: "mysh", bytes: get("sh").bytes.slice() }]);
    expect(records.get("mysh")!.bytes).toBe(get("sh").bytes);
  });

  it("rejects what cannot run as a command, with ENOEXEC", () => {
    const cases: [Uint8Array, RegExp][] = [
      [new TextEncoder().encode("#!/bin/sh\n"), /command 'bad'.*missing the \\0asm magic/],
      [minimalCommand({ start: false }), /command 'bad': does not export a _start function/],
      [minimalCommand({ memory: false }), /command 'bad': does not export its memory/],
    ];
    for (const [bytes, message] of cases) {
      expect(() => commandsFromSoftware([{ kind: "wasm", name: "bad", bytes }])).toThrow(message);
      try {
        commandsFromSoftware([{ kind: "wasm", name: "bad", bytes }]);
      } catch (e) {
        expect((e as { code?: string }).code).toBe("ENOEXEC");
      }
    }
    const script = buildAospkg({ files: [{ path: "/bin/hello", data: new TextEncoder().encode("echo\n") }] });
    expect(() => commandsFromSoftware([{ kind: "aospkg", bytes: script }])).toThrow(/command 'hello'/);
    expect(() => commandsFromSoftware([{ kind: "wasm", name: "a/b", bytes: minimalCommand() }])).toThrow(
      /not a valid command name/,
    );
  });
});

describe("detectAbi", () => {
  const fn = (module: string, name: string, arity = 1): WasmImport => ({
    module,
    name,
    kind: "func",
    params: Array(arity).fill("i32"),
    results: ["i32"],
  });
  const wasi = fn("wasi_snapshot_preview1", "fd_write", 4);

  it("follows the documented rule", () => {
    expect(detectAbi([])).toBe("wasi-only");
    expect(detectAbi([wasi])).toBe("wasi-only");
    expect(detectAbi([wasi, fn("host_net", "net_send", 5)])).toBe("v3");
    expect(detectAbi([fn("host_fs", "path_mode", 4)])).toBe("v3");
    expect(detectAbi([fn("host_process", "proc_waitpid_v2", 6)])).toBe("v3");
    expect(detectAbi([fn("host_fs", "path_mode", 3)])).toBe("legacy");
    expect(detectAbi([fn("host_fs", "fd_mode")])).toBe("legacy");
    expect(detectAbi([fn("host_process", "proc_spawn", 10), fn("host_process", "proc_waitpid", 3)])).toBe(
      "legacy",
    );
  });

  it("rejects a module that mixes the two ABIs", () => {
    expect(() => detectAbi([fn("host_fs", "path_mode", 3), fn("host_net", "net_recv", 5)])).toThrow(
      /imports both host_net.net_recv \(v3\) and host_fs.path_mode \(legacy\): mixed host ABIs/,
    );
  });
});
