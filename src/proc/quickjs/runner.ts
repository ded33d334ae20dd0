/**
 * The `node` process runner: a pool job module (`registerQuickjsJobKind()`, see kind.ts). Runs a
 * QuickJS runtime (quickjs-emscripten, release-sync build) with a memory limit, a stack limit and an
 * interrupt handler, evaluates the guest runtime (guest/*.js: process, console, Buffer, fs, …), loads
 * the program named by argv and drives the event loop until nothing is pending or `process.exit`.
 * Runs inside a pool worker: erasable TypeScript only. All I/O goes through kernel syscalls.
 *
 * Host functions the guest runtime receives (as `__agentos_host`, captured then deleted):
 *   sys(op, ...args) → [errno, ...values]      any kernel syscall (bytes as ArrayBuffers)
 *   write(fd, data)  → bytes written or -errno  stdout/stderr are write-combined until the next
 *                                                syscall, a full 64 KiB buffer or the loop idles
 *   encode/decode    Buffer encodings; hash/hmac/random for crypto; compile/evalScript/evalModule;
 *   resolve/format/readText for modules; builtinSource; exit; now; markTick; info
 */
import { createHash, createHmac, randomBytes } from "node:crypto";
import type {
  QuickJSContext,
  QuickJSHandle,
  QuickJSRuntime,
  QuickJSWASMModule,
} from "quickjs-emscripten-core";
import { AT_FDCWD, FileTypeCode, O, Sys } from "../../kernel/abi.ts";
import type { SyscallArg, SyscallClient } from "../../kernel/channel/index.ts";
import type { JobContext } from "../pool/types.ts";
import { GUEST_SOURCES } from "./guest-sources.ts";
import { BUILTIN_MODULES, dirname, ResolveError, Resolver } from "./resolve.ts";
import { NODE_VERSION, type QuickjsJobPayload, type QuickjsModuleUrls } from "./types.ts";

const DEFAULT_MEMORY = 256 << 20;
const DEFAULT_STACK = 256 << 10;
const OUT_BUFFER = 64 << 10;
/** Exit status of a process that ran out of memory (Node aborts: 128 + SIGABRT). */
export const OOM_EXIT_CODE = 134;

const CORE = "quickjs-emscripten-core";
const VARIANT = "@jitl/quickjs-wasmfile-release-sync";

let quickjs: Promise<QuickJSWASMModule> | null = null;

/**
 * The QuickJS WASM module, instantiated once per worker. The packages are imported by bare name
 * when this file can resolve them (the build), else by the URLs the host resolved (under the test
 * runner the pool loads a type-stripped mirror of src/ from the temp dir, outside node_modules' reach).
 */
function loadQuickjs(urls?: QuickjsModuleUrls): Promise<QuickJSWASMModule> | null {
  if (!quickjs) {
    let core = CORE;
    let v = VARIANT;
    try {
      core = import.meta.resolve(CORE);
      v = import.meta.resolve(VARIANT);
    } catch {
      if (!urls) return null;
      core = urls.core;
      v = urls.variant;
    }
    quickjs = (async () => {
      const [c, m] = await Promise.all([import(core), import(v)]);
      return (c as typeof import("quickjs-emscripten-core")).newQuickJSWASMModuleFromVariant(m.default);
    })();
    quickjs.catch(() => {
      quickjs = null;
    });
  }
  return quickjs;
}

// Start instantiating at import (when resolvable), so a preloaded worker is warm for `node`.
loadQuickjs();

/** A guest runtime file (guest/<name>.js, bundled into guest-sources.ts). */
function guestSource(name: string): string | null {
  return GUEST_SOURCES[name.replace(/\//g, "_")] ?? null;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;
const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally " +
    "for function if import in instanceof new null return super switch this throw true try typeof var void " +
    "while with yield let static implements interface package private protected public await arguments eval"
  ).split(" "),
);

function bytesOf(v: Uint8Array): ArrayBuffer {
  if (v.byteOffset === 0 && v.byteLength === v.buffer.byteLength && v.buffer instanceof ArrayBuffer)
    return v.buffer;
  return Uint8Array.prototype.slice.call(v).buffer as ArrayBuffer;
}

/**
 * QuickJS does not count large allocations against its memory limit in this build (its
 * malloc_usable_size is 0 under emscripten), so the WASM memory itself is capped: `grow` beyond the
 * job's allowance fails, malloc returns NULL and QuickJS throws "out of memory".
 */
let growCap = Number.POSITIVE_INFINITY;
const cappedMemories = new WeakSet<WebAssembly.Memory>();
/** A worker whose QuickJS memory grew past this is given a fresh module next time (memory never shrinks). */
const RECYCLE_BYTES = 512 << 20;

function capMemory(mod: QuickJSWASMModule): WebAssembly.Memory | null {
  const get = (mod as unknown as { getWasmMemory?: () => WebAssembly.Memory }).getWasmMemory;
  const memory = typeof get === "function" ? get.call(mod) : null;
  if (!memory || cappedMemories.has(memory)) return memory;
  cappedMemories.add(memory);
  const grow = memory.grow.bind(memory);
  Object.defineProperty(memory, "grow", {
    value: (pages: number) => {
      if (memory.buffer.byteLength + pages * 65536 > growCap)
        throw new RangeError("agentos-vm: node memory limit");
      return grow(pages);
    },
  });
  return memory;
}

export async function runJob(payload: QuickjsJobPayload, { syscall }: JobContext): Promise<number> {
  const mod = await loadQuickjs(payload.modules);
  if (!mod) throw new Error("agentos-vm: cannot locate the QuickJS packages");
  const memory = capMemory(mod);
  growCap = (memory?.buffer.byteLength ?? 0) + (payload.memoryLimitBytes ?? DEFAULT_MEMORY) + (16 << 20);
  const host = new NodeHost(mod, payload, syscall);
  try {
    return host.run();
  } finally {
    host.dispose();
    growCap = Number.POSITIVE_INFINITY;
    if (memory && memory.buffer.byteLength > RECYCLE_BYTES) quickjs = null;
  }
}

class NodeHost {
  private readonly rt: QuickJSRuntime;
  private readonly ctx: QuickJSContext;
  private readonly k: SyscallClient;
  private readonly payload: QuickjsJobPayload;
  private readonly resolver: Resolver;
  private readonly memoryLimit: number;
  private exiting = false;
  private exitCode = 0;
  private ticksPending = false;
  private outFd = -1;
  private outChunks: Uint8Array[] = [];
  private outSize = 0;
  private esm: QuickJSHandle | null = null;
  private loop: QuickJSHandle | null = null;

  constructor(mod: QuickJSWASMModule, payload: QuickjsJobPayload, k: SyscallClient) {
    this.payload = payload;
    this.k = k;
    this.memoryLimit = payload.memoryLimitBytes ?? DEFAULT_MEMORY;
    this.rt = mod.newRuntime();
    this.rt.setMemoryLimit(this.memoryLimit);
    this.rt.setMaxStackSize(payload.stackLimitBytes ?? DEFAULT_STACK);
    this.rt.setInterruptHandler(() => this.exiting);
    this.ctx = this.rt.newContext();
    this.resolver = new Resolver({
      kind: (path) => this.kind(path),
      readText: (path) => this.readText(path),
    });
    this.rt.setModuleLoader(
      (name) => this.loadModule(name),
      (base, request) => this.normalize(base, request),
    );
  }

  dispose(): void {
    this.esm?.dispose();
    this.loop?.dispose();
    try {
      this.ctx.dispose();
      this.rt.dispose();
    } catch {
      // A runtime stopped mid-operation may not free cleanly; the next job gets a fresh one.
      quickjs = null;
    }
  }

  // ---- kernel access -----------------------------------------------------------------------

  private call(op: number, args: SyscallArg[]): { errno: number; values: SyscallArg[] } {
    if (this.outSize) this.flush();
    return this.k.call(op, args);
  }

  private kind(path: string): "file" | "dir" | null {
    const r = this.call(Sys.STAT, [AT_FDCWD, path, 1]);
    if (r.errno) return null;
    const t = r.values[0];
    return t === FileTypeCode.DIRECTORY ? "dir" : "file";
  }

  private readBytes(path: string): Uint8Array | null {
    const o = this.call(Sys.OPEN, [AT_FDCWD, path, O.READ, 0]);
    if (o.errno) return null;
    const fd = o.values[0] as number;
    const chunks: Uint8Array[] = [];
    try {
      for (;;) {
        const r = this.k.call(Sys.READ, [fd, 1 << 20]);
        if (r.errno) return null;
        const b = r.values[0] as Uint8Array;
        if (b.length === 0) break;
        chunks.push(b);
      }
    } finally {
      this.k.call(Sys.CLOSE, [fd]);
    }
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  }

  private readText(path: string): string | null {
    const b = this.readBytes(path);
    return b === null ? null : Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("utf8");
  }

  private writeAll(fd: number, data: Uint8Array): number {
    let off = 0;
    while (off < data.length) {
      const r = this.k.call(Sys.WRITE, [fd, off === 0 ? data : data.subarray(off)]);
      if (r.errno) return r.errno;
      off += r.values[0] as number;
    }
    return 0;
  }

  private flush(): void {
    if (!this.outSize) return;
    const data = this.outChunks.length === 1 ? this.outChunks[0]! : Buffer.concat(this.outChunks);
    const fd = this.outFd;
    this.outChunks = [];
    this.outSize = 0;
    this.writeAll(fd, data);
  }

  private write(fd: number, data: Uint8Array): number {
    if (this.exiting) return data.length;
    if (fd === 1 || fd === 2) {
      if (this.outFd !== fd) this.flush();
      this.outFd = fd;
      this.outChunks.push(data);
      this.outSize += data.length;
      if (this.outSize >= OUT_BUFFER) this.flush();
      return data.length;
    }
    if (this.outSize) this.flush();
    const errno = this.writeAll(fd, data);
    return errno ? -errno : data.length;
  }

  // ---- marshalling -------------------------------------------------------------------------

  private toHost(h: QuickJSHandle): SyscallArg {
    const ctx = this.ctx;
    const t = ctx.typeof(h);
    if (t === "number") return ctx.getNumber(h);
    if (t === "string") return ctx.getString(h);
    if (t === "object") {
      const life = ctx.getArrayBuffer(h);
      try {
        return Buffer.from(life.value);
      } finally {
        life.dispose();
      }
    }
    return 0;
  }

  private toGuest(v: SyscallArg | null | undefined | boolean): QuickJSHandle {
    const ctx = this.ctx;
    if (v === null) return ctx.null;
    if (v === undefined) return ctx.undefined;
    if (typeof v === "boolean") return v ? ctx.true : ctx.false;
    if (typeof v === "number") return ctx.newNumber(v);
    if (typeof v === "bigint") return ctx.newNumber(Number(v));
    if (typeof v === "string") return ctx.newString(v);
    return ctx.newArrayBuffer(bytesOf(v));
  }

  private array(values: Array<SyscallArg | null | undefined>): QuickJSHandle {
    const ctx = this.ctx;
    const arr = ctx.newArray();
    values.forEach((v, i) => {
      const h = this.toGuest(v);
      ctx.setProp(arr, i, h);
      h.dispose();
    });
    return arr;
  }

  private bytesArg(h: QuickJSHandle | undefined): Buffer {
    if (!h) return Buffer.alloc(0);
    const v = this.toHost(h);
    return typeof v === "string" ? Buffer.from(v, "utf8") : Buffer.from(v as Uint8Array);
  }

  private optString(h: QuickJSHandle | undefined, fallback: string): string {
    return h && this.ctx.typeof(h) === "string" ? this.ctx.getString(h) : fallback;
  }

  private guestError(message: string, code?: string): QuickJSHandle {
    const ctx = this.ctx;
    const e = ctx.newError(message);
    if (code) {
      const c = ctx.newString(code);
      ctx.setProp(e, "code", c);
      c.dispose();
    }
    return e;
  }

  // ---- the bridge --------------------------------------------------------------------------

  private installHost(): void {
    const ctx = this.ctx;
    const obj = ctx.newObject();
    const def = (
      name: string,
      impl: (...args: QuickJSHandle[]) => QuickJSHandle | { error: QuickJSHandle } | undefined,
    ) => {
      const f = ctx.newFunction(name, (...args) => {
        if (this.exiting) return { error: this.guestError("process is exiting", "ERR_AGENTOS_EXITING") };
        return impl(...args);
      });
      ctx.setProp(obj, name, f);
      f.dispose();
    };
    def("sys", (op, ...args) => {
      const r = this.call(
        ctx.getNumber(op!),
        args.map((a) => this.toHost(a)),
      );
      return this.array([r.errno, ...r.values]);
    });
    def("write", (fd, data) => {
      const d =
        ctx.typeof(data!) === "string" ? Buffer.from(ctx.getString(data!), "utf8") : this.bytesArg(data);
      return ctx.newNumber(this.write(ctx.getNumber(fd!), d));
    });
    def("flush", () => {
      this.flush();
      return undefined;
    });
    def("encode", (str, enc) => {
      const e = this.optString(enc, "utf8") as BufferEncoding;
      return ctx.newArrayBuffer(bytesOf(Buffer.from(ctx.getString(str!), e)));
    });
    def("decode", (data, enc) => {
      const e = this.optString(enc, "utf8") as BufferEncoding;
      const s = this.bytesArg(data).toString(e);
      // NUL cannot cross as a C string: hand such text over in pieces (the guest joins them).
      return s.includes("\0") ? this.array(s.split("\0")) : ctx.newString(s);
    });
    def("hash", (alg, data) => {
      const h = createHash(ctx.getString(alg!)).update(this.bytesArg(data));
      return ctx.newArrayBuffer(bytesOf(h.digest()));
    });
    def("hmac", (alg, key, data) => {
      const h = createHmac(ctx.getString(alg!), this.bytesArg(key)).update(this.bytesArg(data));
      return ctx.newArrayBuffer(bytesOf(h.digest()));
    });
    def("random", (n) => ctx.newArrayBuffer(bytesOf(randomBytes(ctx.getNumber(n!)))));
    def("now", () => ctx.newNumber(performance.timeOrigin + performance.now()));
    def("markTick", () => {
      this.ticksPending = true;
      return undefined;
    });
    def("exit", (code) => {
      this.exitCode = ctx.getNumber(code!) | 0;
      this.flush();
      this.exiting = true;
      // The interrupt handler now stops whatever guest code is still running.
      return { error: this.guestError("process.exit()", "ERR_AGENTOS_EXIT") };
    });
    def("compile", (src, filename) => {
      const code = `(function (exports, require, module, __filename, __dirname) {${stripShebang(ctx.getString(src!))}\n})`;
      const r = ctx.evalCode(code, ctx.getString(filename!), { type: "global" });
      return r.error ? { error: r.error } : r.value;
    });
    def("evalScript", (src, filename) => {
      const r = ctx.evalCode(ctx.getString(src!), ctx.getString(filename!), { type: "global" });
      return r.error ? { error: r.error } : r.value;
    });
    def("evalModule", (src, filename) => {
      const name = ctx.getString(filename!);
      const r = ctx.evalCode(this.moduleSource(ctx.getString(src!), name), name, { type: "module" });
      return r.error ? { error: r.error } : r.value;
    });
    def("resolve", (request, parent, mode) => {
      try {
        const m = this.optString(mode, "require") === "import" ? "import" : "require";
        return ctx.newString(this.resolver.resolve(ctx.getString(request!), ctx.getString(parent!), m));
      } catch (err) {
        if (err instanceof ResolveError) return { error: this.guestError(err.message, err.code) };
        throw err;
      }
    });
    def("format", (path) => ctx.newString(this.resolver.format(ctx.getString(path!))));
    def("readText", (path) => {
      const t = this.readText(ctx.getString(path!));
      return t === null ? ctx.null : ctx.newString(t);
    });
    def("builtinSource", (name) => {
      const s = guestSource(ctx.getString(name!));
      return s === null ? ctx.undefined : ctx.newString(s);
    });
    def("info", () =>
      ctx.newString(
        JSON.stringify({
          argv: this.payload.argv,
          env: this.payload.env,
          pid: this.payload.pid,
          cwd: this.payload.cwd,
          version: NODE_VERSION,
          builtins: BUILTIN_MODULES,
          memoryLimit: this.memoryLimit,
          // The syscall ABI comes from abi.ts, so the guest runtime keeps no copy of its own.
          abi: { sys: Sys, o: O, atFdcwd: AT_FDCWD },
        }),
      ),
    );
    ctx.setProp(ctx.global, "__agentos_host", obj);
    obj.dispose();
  }

  // ---- ES modules --------------------------------------------------------------------------

  private normalize(base: string, request: string): string {
    const parent = base.startsWith("/") && !base.endsWith("[eval]") ? base : `${this.cwd()}/`;
    try {
      return this.resolver.resolve(request, parent, "import");
    } catch (err) {
      if (err instanceof ResolveError) return `agentos:error:${err.code}:${encodeURIComponent(err.message)}`;
      throw err;
    }
  }

  private cwd(): string {
    const r = this.k.call(Sys.GETCWD, []);
    return r.errno ? this.payload.cwd : (r.values[0] as string);
  }

  private exportNames(kind: string, spec: string): string[] {
    const ctx = this.ctx;
    const k = ctx.newString(kind);
    const s = ctx.newString(spec);
    const r = ctx.callMethod(this.esm!, "names", [k, s]);
    k.dispose();
    s.dispose();
    if (r.error) {
      r.error.dispose();
      return [];
    }
    const json = ctx.getString(r.value);
    r.value.dispose();
    return (JSON.parse(json) as string[]).filter((n) => IDENT.test(n) && !RESERVED.has(n));
  }

  private moduleSource(src: string, filename: string): string {
    const url = `file://${filename}`;
    const meta =
      `import.meta.url=${JSON.stringify(url)};import.meta.filename=${JSON.stringify(filename)};` +
      `import.meta.dirname=${JSON.stringify(dirname(filename))};` +
      `import.meta.resolve=(s)=>__agentos_esm.resolveUrl(s,${JSON.stringify(filename)});`;
    return meta + stripShebang(src);
  }

  private loadModule(name: string): string | { error: Error } {
    if (name.startsWith("agentos:error:")) {
      const rest = name.slice(14);
      const i = rest.indexOf(":");
      const code = rest.slice(0, i);
      const message = decodeURIComponent(rest.slice(i + 1));
      return `const e = new Error(${JSON.stringify(message)}); e.code = ${JSON.stringify(code)}; throw e;`;
    }
    if (name.startsWith("node:")) {
      const names = this.exportNames("builtin", name.slice(5));
      const spec = JSON.stringify(name.slice(5));
      return (
        `const m = __agentos_esm.builtin(${spec}); export default m;` +
        (names.length ? ` export const { ${names.join(", ")} } = m;` : "")
      );
    }
    const format = this.resolver.format(name);
    if (format === "json") {
      const text = this.readText(name);
      if (text === null) return { error: new Error(`Cannot read ${name}`) };
      return `export default JSON.parse(${JSON.stringify(text)});`;
    }
    const src = format === "commonjs" ? this.readText(name) : null;
    if (format === "commonjs" && !(src !== null && !name.endsWith(".cjs") && looksLikeEsm(src))) {
      const names = this.exportNames("cjs", name);
      return (
        `const m = __agentos_esm.require(${JSON.stringify(name)}); export default m;` +
        (names.length ? ` export const { ${names.join(", ")} } = m;` : "")
      );
    }
    const text = src ?? this.readText(name);
    if (text === null) return { error: new Error(`Cannot find module '${name}'`) };
    return this.moduleSource(text, name);
  }

  // ---- running -----------------------------------------------------------------------------

  run(): number {
    const ctx = this.ctx;
    {
      this.installHost();
      const boot = guestSource("bootstrap");
      if (boot === null) throw new Error("agentos-vm: node runtime files are missing (guest/bootstrap.js)");
      const r = ctx.evalCode(boot, "node:internal/bootstrap", { type: "global" });
      if (r.error) return this.fatal(r.error);
      // bootstrap evaluates to { esm, loop }: esm for the module loader, loop for the event loop.
      this.esm = ctx.getProp(r.value, "esm");
      this.loop = ctx.getProp(r.value, "loop");
      r.value.dispose();
      this.guestCall("main");
      for (;;) {
        this.drain();
        if (this.exiting) break;
        const step = this.guestCall("step");
        if (step === 0 && !this.rt.hasPendingJob() && !this.ticksPending) {
          // Nothing left: run 'beforeExit' listeners; they may schedule more work.
          if (this.guestCall("beforeExit") === 0) break;
        }
      }
      if (!this.exiting) this.guestCall("exit");
    }
    this.flush();
    return this.exitCode & 0xff;
  }

  /** Runs nextTick callbacks and promise jobs until both queues are empty. */
  private drain(): void {
    for (;;) {
      if (this.exiting) return;
      if (this.ticksPending) {
        this.ticksPending = false;
        this.guestCall("ticks");
        continue;
      }
      if (!this.rt.hasPendingJob()) return;
      const r = this.rt.executePendingJobs();
      if (r.error) this.uncaught(r.error);
    }
  }

  /** Calls loop[name]() in the guest; an exception is handled as uncaught. Returns a number result or -1. */
  private guestCall(name: string): number {
    if (this.exiting) return -1;
    const r = this.ctx.callMethod(this.loop!, name, []);
    if (r.error) {
      this.uncaught(r.error);
      return -1;
    }
    const v = this.ctx.typeof(r.value) === "number" ? this.ctx.getNumber(r.value) : -1;
    r.value.dispose();
    return v;
  }

  /** An exception escaped guest code: the guest's handler prints it (or 'uncaughtException' listeners run). */
  private uncaught(error: QuickJSHandle): void {
    if (this.exiting) {
      error.dispose();
      return;
    }
    if (this.isOutOfMemory(error)) {
      error.dispose();
      this.fatalMessage(
        `\n<--- agentos-vm --->\n\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory ` +
          `(node memory limit ${Math.round(this.memoryLimit / (1 << 20))} MiB)\n`,
        OOM_EXIT_CODE,
      );
      return;
    }
    const r = this.ctx.callMethod(this.loop!, "uncaught", [error]);
    error.dispose();
    if (r.error) {
      // The handler itself failed: print what we can from the host.
      const info = this.ctx.dump(r.error) as { name?: string; message?: string; stack?: string };
      r.error.dispose();
      if (this.exiting) return;
      this.fatalMessage(
        `Uncaught ${info?.name ?? "Error"}: ${info?.message ?? String(info)}\n${info?.stack ?? ""}\n`,
        1,
      );
      return;
    }
    r.value.dispose();
  }

  private isOutOfMemory(error: QuickJSHandle): boolean {
    try {
      const info = this.ctx.dump(error) as { name?: string; message?: string } | null;
      return (
        !!info &&
        typeof info === "object" &&
        info.name === "InternalError" &&
        info.message === "out of memory"
      );
    } catch {
      return true;
    }
  }

  private fatal(error: QuickJSHandle): number {
    const info = this.ctx.dump(error) as { name?: string; message?: string; stack?: string };
    error.dispose();
    this.fatalMessage(`node: internal error: ${info?.name}: ${info?.message}\n${info?.stack ?? ""}\n`, 70);
    return this.exitCode;
  }

  private fatalMessage(text: string, code: number): void {
    this.flush();
    this.writeAll(2, Buffer.from(text, "utf8"));
    this.exitCode = code;
    this.exiting = true;
  }
}

/** Node 22's syntax detection, approximated: import/export statements and no CommonJS markers. */
function looksLikeEsm(src: string): boolean {
  return (
    /^\s*(import\s*[\w{*'"]|export\s+(default|const|let|var|function|class|async|\{|\*))/m.test(src) &&
    !/\brequire\s*\(|\bmodule\.exports\b|^\s*exports\./m.test(src)
  );
}

function stripShebang(src: string): string {
  return src.startsWith("#!") ? `//${src.slice(2)}` : src;
}
