/**
 * A minimal WebAssembly binary reader for the parts `WebAssembly.Module.imports()` leaves out:
 * function signatures of imports (the type section joined to the import section), memory limits,
 * and exports without compiling. Follows the WebAssembly Core Specification 2.0, "Binary Format"
 * (sections 5.4–5.5). It reads only section headers and the type, import, memory and export
 * sections, so it costs microseconds even on multi-megabyte modules.
 */

export type WasmValueType = "i32" | "i64" | "f32" | "f64" | "v128" | "funcref" | "externref";
export type WasmImportKind = "func" | "table" | "memory" | "global" | "tag";

export interface WasmImport {
  readonly module: string;
  readonly name: string;
  readonly kind: WasmImportKind;
  /** Parameter types of an imported function (or tag); empty for other kinds. */
  readonly params: readonly WasmValueType[];
  /** Result types of an imported function; empty for other kinds. */
  readonly results: readonly WasmValueType[];
  /** Limits of an imported memory or table. */
  readonly limits?: Limits;
}

interface Limits {
  readonly initial: number;
  readonly maximum?: number;
  readonly shared: boolean;
}

/** Memory limits in 64 KiB pages. */
export interface WasmExport {
  readonly name: string;
  readonly kind: WasmImportKind;
}

export interface WasmMemoryLimits extends Limits {
  /** Whether the memory is imported rather than defined by the module. */
  readonly imported: boolean;
}

/** Not a WebAssembly module, or a damaged one. `code` is `ENOEXEC`, as for execve(2) on a bad image. */
export class WasmFormatError extends Error {
  readonly code = "ENOEXEC";
  /** The message without its prefix, for callers that add context. */
  readonly detail: string;

  constructor(detail: string) {
    super(`ENOEXEC: not a valid WebAssembly module: ${detail}`);
    this.name = "WasmFormatError";
    this.detail = detail;
  }
}

const VALUE_TYPES: Readonly<Record<number, WasmValueType>> = {
  127: "i32",
  126: "i64",
  125: "f32",
  124: "f64",
  123: "v128",
  112: "funcref",
  111: "externref",
};
const IMPORT_KINDS: readonly WasmImportKind[] = ["func", "table", "memory", "global", "tag"];
const SECTION_TYPE = 1;
const SECTION_IMPORT = 2;
const SECTION_MEMORY = 5;
const SECTION_EXPORT = 7;
const EXPORT_KINDS: readonly WasmImportKind[] = IMPORT_KINDS;

interface FuncType {
  params: WasmValueType[];
  results: WasmValueType[];
}

class Cursor {
  pos: number;
  private readonly bytes: Uint8Array;
  private readonly end: number;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  byte(): number {
    if (this.pos >= this.end) throw new WasmFormatError(`unexpected end at byte ${this.pos}`);
    return this.bytes[this.pos++]!;
  }

  /** Unsigned LEB128, at most 32 bits (every count and index in the binary format is a u32). */
  u32(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.byte();
      value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) {
        if (value > 0xffffffff) throw new WasmFormatError(`u32 out of range at byte ${this.pos}`);
        return value;
      }
    }
    throw new WasmFormatError(`LEB128 longer than 5 bytes at byte ${this.pos}`);
  }

  name(): string {
    const len = this.u32();
    if (this.pos + len > this.end)
      throw new WasmFormatError(`name runs past its section at byte ${this.pos}`);
    const s = new TextDecoder().decode(this.bytes.subarray(this.pos, this.pos + len));
    this.pos += len;
    return s;
  }

  valueType(): WasmValueType {
    const b = this.byte();
    const t = VALUE_TYPES[b];
    if (t === undefined)
      throw new WasmFormatError(`unknown value type 0x${b.toString(16)} at byte ${this.pos - 1}`);
    return t;
  }

  limits(): Limits {
    const flags = this.byte();
    if (flags & ~0x03)
      throw new WasmFormatError(`unsupported limits flags 0x${flags.toString(16)} (memory64?)`);
    const initial = this.u32();
    const maximum = flags & 1 ? this.u32() : undefined;
    return { initial, ...(maximum === undefined ? {} : { maximum }), shared: (flags & 2) !== 0 };
  }
}

/** Yields `[id, start, end]` for each section, after checking the module header. */
function* sections(bytes: Uint8Array): Generator<[number, number, number]> {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new WasmFormatError("missing the \\0asm magic");
  }
  const version = bytes[4]! | (bytes[5]! << 8) | (bytes[6]! << 16) | (bytes[7]! << 24);
  if (version !== 1) throw new WasmFormatError(`binary version ${version} is not 1 (a component?)`);
  const c = new Cursor(bytes, 8);
  while (!c.done) {
    const id = c.byte();
    const size = c.u32();
    const start = c.pos;
    if (start + size > bytes.length) throw new WasmFormatError(`section ${id} runs past the end (truncated)`);
    yield [id, start, start + size];
    c.pos = start + size;
  }
}

function readTypes(c: Cursor): FuncType[] {
  const types: FuncType[] = [];
  for (let n = c.u32(); n > 0; n--) {
    const form = c.byte();
    if (form !== 0x60) throw new WasmFormatError(`type form 0x${form.toString(16)} is not a function type`);
    const params = Array.from({ length: c.u32() }, () => c.valueType());
    const results = Array.from({ length: c.u32() }, () => c.valueType());
    types.push({ params, results });
  }
  return types;
}

function readImportSection(c: Cursor, types: readonly FuncType[]): WasmImport[] {
  const imports: WasmImport[] = [];
  for (let n = c.u32(); n > 0; n--) {
    const module = c.name();
    const name = c.name();
    const tag = c.byte();
    const kind = IMPORT_KINDS[tag];
    let signature: FuncType = { params: [], results: [] };
    let limits: Limits | undefined;
    switch (kind) {
      case "func": {
        const index = c.u32();
        signature = types[index] ?? fail(`import ${module}.${name} uses missing type ${index}`);
        break;
      }
      case "table":
        c.valueType();
        limits = c.limits();
        break;
      case "memory":
        limits = c.limits();
        break;
      case "global":
        c.valueType();
        c.byte();
        break;
      case "tag": {
        c.byte();
        const index = c.u32();
        signature = types[index] ?? fail(`import ${module}.${name} uses missing type ${index}`);
        break;
      }
      default:
        fail(`unknown import kind 0x${tag.toString(16)} for ${module}.${name}`);
    }
    const { params, results } = signature;
    imports.push({ module, name, kind: kind!, params, results, ...(limits ? { limits } : {}) });
  }
  return imports;
}

function fail(detail: string): never {
  throw new WasmFormatError(detail);
}

/** Every import of the module, in import-section order, with function signatures. */
export function readImports(bytes: Uint8Array): WasmImport[] {
  let types: FuncType[] = [];
  for (const [id, start, end] of sections(bytes)) {
    // The type section precedes the import section (sections are ordered by the spec).
    if (id === SECTION_TYPE) types = readTypes(new Cursor(bytes, start, end));
    if (id === SECTION_IMPORT) return readImportSection(new Cursor(bytes, start, end), types);
  }
  return [];
}

/** The limits of the module's memory (imported or defined), or undefined if it has none. */
export function readMemoryLimits(bytes: Uint8Array): WasmMemoryLimits | undefined {
  let types: FuncType[] = [];
  for (const [id, start, end] of sections(bytes)) {
    if (id === SECTION_TYPE) types = readTypes(new Cursor(bytes, start, end));
    if (id === SECTION_IMPORT) {
      const memory = readImportSection(new Cursor(bytes, start, end), types).find((i) => i.kind === "memory");
      if (memory?.limits) return { ...memory.limits, imported: true };
    }
    if (id === SECTION_MEMORY) {
      const c = new Cursor(bytes, start, end);
      return c.u32() === 0 ? undefined : { ...c.limits(), imported: false };
    }
  }
  return undefined;
}

/** Every export of the module by name and kind (cheaper than compiling it to ask). */
export function readExports(bytes: Uint8Array): WasmExport[] {
  for (const [id, start, end] of sections(bytes)) {
    if (id !== SECTION_EXPORT) continue;
    const c = new Cursor(bytes, start, end);
    const exports: WasmExport[] = [];
    for (let n = c.u32(); n > 0; n--) {
      const name = c.name();
      const tag = c.byte();
      const kind = EXPORT_KINDS[tag] ?? fail(`unknown export kind 0x${tag.toString(16)} for ${name}`);
      c.u32();
      exports.push({ name, kind });
    }
    return exports;
  }
  return [];
}
