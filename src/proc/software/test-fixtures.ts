/**
 * Test-only writers for tiny `.aospkg` packages and WASM modules, so tests can build exactly the
 * (broken) input they need. Encodings mirror the readers' doc comments.
 */

export interface FixtureFile {
  path: string;
  kind?: "file" | "dir" | "symlink";
  data?: Uint8Array;
  mode?: number;
  link?: string;
}

export interface FixturePackage {
  name?: string;
  version?: string;
  commands?: [command: string, path: string][];
  files?: FixtureFile[];
}

const enc = new TextEncoder();

class Writer {
  private readonly parts: number[] = [];

  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v).u8(v >>> 8);
  }
  u32(v: number): this {
    return this.u16(v & 0xffff).u16(v >>> 16);
  }
  u64(v: number): this {
    return this.u32(v % 2 ** 32).u32(Math.floor(v / 2 ** 32));
  }
  uint(v: number): this {
    do {
      const low = v % 128;
      v = Math.floor(v / 128);
      this.u8(v > 0 ? low | 0x80 : low);
    } while (v > 0);
    return this;
  }
  bytes(b: Uint8Array | readonly number[]): this {
    for (const x of b) this.parts.push(x);
    return this;
  }
  str(s: string): this {
    const b = enc.encode(s);
    return this.uint(b.length).bytes(b);
  }
  done(): Uint8Array<ArrayBuffer> {
    return Uint8Array.from(this.parts);
  }
}

function tarHeader(name: string, size: number, mode: number): Uint8Array {
  const h = new Uint8Array(512);
  const put = (at: number, s: string) => h.set(enc.encode(s), at);
  put(0, name);
  put(100, `${(mode & 0o7777).toString(8).padStart(7, "0")}\0`);
  put(108, "0000000\0");
  put(116, "0000000\0");
  put(124, `${size.toString(8).padStart(11, "0")}\0`);
  put(136, "00000000000\0");
  put(148, "        ");
  put(156, "0");
  put(257, "ustar\x0000");
  const sum = h.reduce((a, b) => a + b, 0);
  put(148, `${sum.toString(8).padStart(6, "0")}\0 `);
  return h;
}

/** A well-formed package; `commands` default to `[["hello", "bin/hello"]]` over a minimal module. */
export function buildAospkg(pkg: FixturePackage = {}): Uint8Array<ArrayBuffer> {
  const files = pkg.files ?? [
    { path: "/bin", kind: "dir" },
    { path: "/bin/hello", data: minimalCommand() },
  ];
  const commands = pkg.commands ?? [["hello", "bin/hello"]];

  const tar = new Writer();
  let tarLength = 0;
  const offsets: number[] = [];
  for (const f of files) {
    const data = f.data ?? new Uint8Array(0);
    if ((f.kind ?? "file") !== "file") {
      offsets.push(0);
      continue;
    }
    tar.bytes(tarHeader(f.path.slice(1), data.length, f.mode ?? 0o755));
    tarLength += 512;
    offsets.push(tarLength);
    const padded = Math.ceil(data.length / 512) * 512;
    tar.bytes(data).bytes(new Uint8Array(padded - data.length));
    tarLength += padded;
  }
  tar.bytes(new Uint8Array(1024));

  const manifest = new Writer()
    .u16(1)
    .str(pkg.name ?? "demo")
    .str(pkg.version ?? "1.0.0")
    .u8(0)
    .u8(0);
  manifest.uint(commands.length);
  for (const [command, path] of commands) manifest.str(command).str(path);
  manifest.uint(0).u8(0);

  const kinds = { file: 0, dir: 1, symlink: 2 };
  const types = { file: 0o100000, dir: 0o040000, symlink: 0o120000 };
  const index = new Writer().u16(1).uint(files.length);
  files.forEach((f, i) => {
    const kind = f.kind ?? "file";
    index
      .str(f.path)
      .uint(kinds[kind])
      .u64(offsets[i]!)
      .u64(kind === "file" ? (f.data?.length ?? 0) : 0);
    index
      .u32(types[kind] | (f.mode ?? 0o755))
      .u32(0)
      .u32(0)
      .u64(0);
    if (f.link === undefined) index.u8(0);
    else index.u8(1).str(f.link);
  });

  const m = manifest.done();
  const x = index.done();
  const header = new Writer().bytes([0x89, 0x41, 0x4f, 0x53]).u16(1).u16(0).u32(m.length).u32(x.length);
  return new Writer().bytes(header.done()).bytes(m).bytes(x).bytes(tar.done()).done();
}

export interface FixtureImport {
  module: string;
  name: string;
  params?: ("i32" | "i64")[];
  results?: ("i32" | "i64")[];
}

const VALTYPE = { i32: 0x7f, i64: 0x7e } as const;

function section(id: number, body: Uint8Array): Uint8Array {
  return new Writer().u8(id).uint(body.length).bytes(body).done();
}

/** A WASI-style command module: optional function imports, then `_start` and `memory` exports. */
export function minimalCommand(
  opts: { imports?: FixtureImport[]; start?: boolean; memory?: boolean; memoryPages?: number } = {},
): Uint8Array<ArrayBuffer> {
  const imports = opts.imports ?? [];
  const types = new Writer().uint(imports.length + 1);
  for (const i of imports) {
    const params = i.params ?? [];
    const results = i.results ?? [];
    types
      .u8(0x60)
      .uint(params.length)
      .bytes(params.map((p) => VALTYPE[p]));
    types.uint(results.length).bytes(results.map((r) => VALTYPE[r]));
  }
  types.u8(0x60).u8(0).u8(0);
  const importSec = new Writer().uint(imports.length);
  imports.forEach((i, n) => {
    importSec.str(i.module).str(i.name).u8(0).uint(n);
  });

  const exports: [string, number, number][] = [];
  if (opts.memory ?? true) exports.push(["memory", 2, 0]);
  if (opts.start ?? true) exports.push(["_start", 0, imports.length]);
  const exportSec = new Writer().uint(exports.length);
  for (const [name, kind, idx] of exports) exportSec.str(name).u8(kind).uint(idx);

  return new Writer()
    .bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00])
    .bytes(section(1, types.done()))
    .bytes(imports.length ? section(2, importSec.done()) : [])
    .bytes(section(3, new Writer().u8(1).uint(imports.length).done()))
    .bytes(
      section(
        5,
        new Writer()
          .u8(1)
          .u8(0)
          .uint(opts.memoryPages ?? 1)
          .done(),
      ),
    )
    .bytes(section(7, exportSec.done()))
    .bytes(section(10, new Writer().u8(1).u8(2).u8(0).u8(0x0b).done()))
    .done();
}
