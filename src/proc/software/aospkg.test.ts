import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AospkgError, readAospkg } from "./aospkg.ts";
import { AOSPKG_PACKAGES } from "./command-set.ts";
import { buildAospkg, minimalCommand } from "./test-fixtures.ts";

function pinnedPackageBytes(npmName: string): Uint8Array {
  const dirs = createRequire(import.meta.url).resolve.paths(npmName) ?? [];
  for (const dir of dirs) {
    try {
      return readFileSync(join(dir, npmName, "dist", "package.aospkg"));
    } catch {}
  }
  throw new Error(`${npmName} not installed`);
}

/** Asserts `fn` throws an EAOSPKG error whose message matches `message`. */
function expectAospkgError(fn: () => unknown, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(AospkgError);
  expect((caught as AospkgError).code).toBe("EAOSPKG");
  expect((caught as Error).message).toMatch(/^EAOSPKG: invalid \.aospkg: /);
  expect((caught as Error).message).toMatch(message);
}

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

describe("readAospkg on the pinned packages", () => {
  for (const npmName of AOSPKG_PACKAGES) {
    it(`parses ${npmName}`, () => {
      const bytes = pinnedPackageBytes(npmName);
      const pkg = readAospkg(bytes);
      expect(`@agentos-software/${pkg.name}`).toBe(npmName);
      expect(pkg.version).toMatch(/^0\.3\.\d+$/);
      expect(pkg.commands.length).toBeGreaterThan(0);
      const byPath = new Map(pkg.files.map((f) => [f.path, f]));
      expect(byPath.get("/")?.kind).toBe("dir");
      for (const { command, path } of pkg.commands) {
        expect(path).toBe(`bin/${command}`);
        const file = byPath.get(`/${path}`)!;
        expect(file.kind).toBe("file");
        expect(file.mode).toBe(0o100755);
        const data = file.data();
        expect(data.length).toBe(file.size);
        expect([...data.subarray(0, 4)]).toEqual(WASM_MAGIC);
        // Zero-copy: a view into the package bytes.
        expect(data.buffer).toBe(bytes.buffer);
      }
    });
  }

  it("lists the 118 coreutils entries, shell included", () => {
    const pkg = readAospkg(pinnedPackageBytes("@agentos-software/coreutils"));
    const names = pkg.commands.map((c) => c.command);
    expect(names).toHaveLength(118);
    expect(names).toEqual(expect.arrayContaining(["sh", "bash", "ls", "cat", "[", "test", "install"]));
  });
});

describe("readAospkg on built packages", () => {
  it("reads files, directories, symlinks and their metadata", () => {
    const hello = minimalCommand();
    const pkg = readAospkg(
      buildAospkg({
        name: "demo",
        version: "2.1.0",
        commands: [["hello", "bin/hello"]],
        files: [
          { path: "/bin", kind: "dir" },
          { path: "/bin/hello", data: hello },
          { path: "/bin/hi", kind: "symlink", link: "hello", mode: 0o777 },
          { path: "/share/readme", data: new TextEncoder().encode("hi\n"), mode: 0o644 },
        ],
      }),
    );
    expect(pkg).toMatchObject({ name: "demo", version: "2.1.0", manPages: [] });
    expect(pkg.commands).toEqual([{ command: "hello", path: "bin/hello" }]);
    const [dir, bin, link, readme] = pkg.files;
    expect(dir).toMatchObject({ path: "/bin", kind: "dir", mode: 0o40755, size: 0 });
    expect(bin!.data()).toEqual(hello);
    expect(link).toMatchObject({ kind: "symlink", link: "hello", mode: 0o120777 });
    expect(link!.data()).toHaveLength(0);
    expect(new TextDecoder().decode(readme!.data())).toBe("hi\n");
    expect(readme!.mode).toBe(0o100644);
  });
});

describe("readAospkg rejects damaged input with EAOSPKG", () => {
  const good = buildAospkg();
  const view = new DataView(good.buffer);
  const manifestLength = view.getUint32(8, true);
  const indexLength = view.getUint32(12, true);
  const tarStart = 16 + manifestLength + indexLength;
  const patched = (at: number, ...values: number[]) => {
    const copy = good.slice();
    copy.set(values, at);
    return copy;
  };
  const findBytes = (needle: string) => findBytesIn(good, needle);

  it("accepts the unmodified fixture", () => {
    expect(readAospkg(good).commands).toHaveLength(1);
  });

  it.each([
    [0, /truncated: 0 byte\(s\), shorter than the 16-byte header/],
    [3, /truncated: 3 byte\(s\)/],
    [15, /truncated: 15 byte\(s\)/],
    [16 + 5, /truncated: manifest .* past the end of the file/],
    [16 + manifestLength + 3, /truncated: manifest .* index .* past the end/],
    [tarStart + 100, /truncated: tar payload is 100 bytes/],
    [good.length - 512, /does not end with two zero end-of-archive blocks/],
  ])("truncated to %i bytes", (length, message) => {
    expectAospkgError(() => readAospkg(good.subarray(0, length)), message);
  });

  it("a whole-block truncation that cuts file data", () => {
    const pkg = buildAospkg({ files: [{ path: "/bin/hello", data: new Uint8Array(4096).fill(7) }] });
    expectAospkgError(() => readAospkg(pkg.subarray(0, pkg.length - 2048)), /truncated: the tar payload/);
  });

  it("bad magic: a gzip file, a zip file, a wasm module", () => {
    expectAospkgError(
      () => readAospkg(patched(0, 0x1f, 0x8b, 0x08, 0)),
      /bad magic 1f 8b 08 00 .*not an \.aospkg/,
    );
    expectAospkgError(() => readAospkg(patched(0, 0x50, 0x4b, 3, 4)), /bad magic 50 4b 03 04/);
    const wasm = minimalCommand();
    expectAospkgError(
      () => readAospkg(new Uint8Array([...wasm, ...new Uint8Array(16)])),
      /bad magic 00 61 73 6d/,
    );
  });

  it("unsupported container version, nonzero reserved bytes", () => {
    expectAospkgError(
      () => readAospkg(patched(4, 2)),
      /unsupported format version 2 \(this reader knows 1\)/,
    );
    expectAospkgError(() => readAospkg(patched(6, 1)), /reserved header bytes/);
  });

  it("unsupported manifest and index schema versions", () => {
    expectAospkgError(() => readAospkg(patched(16, 2)), /manifest: unsupported schema version 2/);
    expectAospkgError(
      () => readAospkg(patched(16 + manifestLength, 9)),
      /index: unsupported schema version 9/,
    );
  });

  it("manifest length that leaves trailing bytes or cuts a field", () => {
    const longer = patched(8, manifestLength + 1);
    expectAospkgError(() => readAospkg(longer), /manifest: 1 unexpected trailing byte/);
    const shorter = patched(8, manifestLength - 1);
    expectAospkgError(() => readAospkg(shorter), /manifest: truncated: .*reading snapshot bundle path/);
  });

  it("data offset past the end of the tar payload", () => {
    const at = findBytes("/bin/hello") + "/bin/hello".length + 1; // after path and kind
    const copy = good.slice();
    new DataView(copy.buffer).setUint32(at, 1 << 20, true);
    expectAospkgError(() => readAospkg(copy), /entry \/bin\/hello: data offset 1048576 .* out of range/);
  });

  it("an offset that does not follow a tar header, or whose header disagrees", () => {
    const at = findBytes("/bin/hello") + "/bin/hello".length + 1;
    const off = new DataView(good.buffer).getUint32(at, true);
    const moved = good.slice();
    new DataView(moved.buffer).setUint32(at, off + 1, true);
    expectAospkgError(() => readAospkg(moved), /data offset \d+ is not after a tar header/);
    const resized = good.slice();
    new DataView(resized.buffer).setUint32(at + 8, 10, true);
    expectAospkgError(() => readAospkg(resized), /index size 10 differs from the tar header's size \d+/);
    const damaged = patched(tarStart + 5, 0x41); // inside the tar header's name field
    expectAospkgError(() => readAospkg(damaged), /tar header at payload offset 0 has a bad checksum/);
  });

  it("unknown entry kind, mode that contradicts the kind, bad UTF-8", () => {
    const kindAt = findBytes("/bin/hello") + "/bin/hello".length;
    expectAospkgError(
      () => readAospkg(patched(kindAt, 7)),
      /unknown entry kind 7 .*reading entry \/bin\/hello/,
    );
    const asDir = buildAospkg({ files: [{ path: "/x", kind: "dir" }], commands: [] });
    const modeAt = findBytesIn(asDir, "/x") + 2 + 1 + 16;
    const copy = asDir.slice();
    new DataView(copy.buffer).setUint32(modeAt, 0o100644, true);
    expectAospkgError(() => readAospkg(copy), /entry \/x: mode 100644 does not match kind dir/);
    expectAospkgError(() => readAospkg(patched(findBytes("demo"), 0xff)), /string is not valid UTF-8/);
  });

  it("duplicate paths, relative paths, commands without a file", () => {
    const data = minimalCommand();
    const dup = buildAospkg({
      files: [
        { path: "/bin/hello", data },
        { path: "/bin/hello", data },
      ],
    });
    expectAospkgError(() => readAospkg(dup), /index: duplicate path \/bin\/hello/);
    const relative = buildAospkg({ files: [{ path: "bin", kind: "dir" }], commands: [] });
    expectAospkgError(() => readAospkg(relative), /entry bin: path is not absolute/);
    const dangling = buildAospkg({ commands: [["hello", "bin/missing"]] });
    expectAospkgError(
      () => readAospkg(dangling),
      /command 'hello' points to bin\/missing, which is not a file/,
    );
  });

  it("a symlink without a target", () => {
    const pkg = buildAospkg({ files: [{ path: "/l", kind: "symlink" }], commands: [] });
    expectAospkgError(() => readAospkg(pkg), /entry \/l: a link target must be present exactly on symlinks/);
  });
});

function findBytesIn(hay: Uint8Array, needle: string): number {
  const n = new TextEncoder().encode(needle);
  for (let i = 0; i < hay.length; i++) if (n.every((b, j) => hay[i + j] === b)) return i;
  throw new Error(`${needle} not found`);
}
