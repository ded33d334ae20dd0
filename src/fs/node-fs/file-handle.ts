/** `FileHandle` (what `fs.promises.open` returns) over an open file description in the fd table. */

import type { OpenFile } from "../vfs.ts";
import type { FdTable } from "./context.ts";
import { decode, encodingOf, toBytes } from "./context.ts";
import { fileClosed, invalidArgType, outOfRange, toNodeError } from "./errors.ts";
import { Stats } from "./stats.ts";

export interface ReadResult<T extends ArrayBufferView> {
  bytesRead: number;
  buffer: T;
}

export interface WriteResult<T> {
  bytesWritten: number;
  buffer: T;
}

export interface ReadOptions<T extends ArrayBufferView = Buffer> {
  buffer?: T;
  offset?: number;
  length?: number;
  position?: number | bigint | null;
}

const READ_CHUNK = 64 * 1024;

/** `null`, `undefined` and -1 mean "at the current offset" (advancing it). */
function positionArg(position: unknown): number | undefined {
  if (position === null || position === undefined || position === -1 || position === -1n) return undefined;
  if (typeof position === "bigint") return Number(position);
  if (typeof position === "number" && Number.isSafeInteger(position) && position >= 0) return position;
  throw outOfRange("position", ">= 0 and <= 2 ** 53 - 1", position);
}

function bytesOf(buffer: ArrayBufferView): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function rangeArg(buffer: ArrayBufferView, offset: unknown, length: unknown): [number, number] {
  const off = offset ?? 0;
  if (typeof off !== "number" || !Number.isInteger(off) || off < 0 || off > buffer.byteLength) {
    throw outOfRange("offset", `>= 0 && <= ${buffer.byteLength}`, off);
  }
  const len = length ?? buffer.byteLength - off;
  if (typeof len !== "number" || !Number.isInteger(len) || len < 0 || off + len > buffer.byteLength) {
    throw outOfRange("length", `>= 0 && <= ${buffer.byteLength - off}`, len);
  }
  return [off, len];
}

export class FileHandle {
  // Private fields (`#`) so a handle's own keys stay as few as Node's.
  readonly #fds: FdTable;
  readonly #fd: number;
  #closed = false;

  constructor(fds: FdTable, fd: number) {
    this.#fds = fds;
    this.#fd = fd;
  }

  /** The descriptor number, or -1 once closed. */
  get fd(): number {
    return this.#closed ? -1 : this.#fd;
  }

  #file(syscall: string): OpenFile {
    if (this.#closed) throw fileClosed(syscall);
    return this.#fds.get(this.#fd, syscall);
  }

  async #run<T>(syscall: string, fn: (file: OpenFile) => Promise<T>): Promise<T> {
    const file = this.#file(syscall);
    try {
      return await fn(file);
    } catch (err) {
      throw toNodeError(err);
    }
  }

  /** `read(buffer, offset?, length?, position?)`, `read(buffer, options)` or `read(options)`. */
  async read<T extends ArrayBufferView = Buffer>(
    buffer?: T | ReadOptions<T>,
    offset?: number | ReadOptions<T> | null,
    length?: number | null,
    position?: number | bigint | null,
  ): Promise<ReadResult<T>> {
    let opts: ReadOptions<T>;
    if (buffer === undefined || !ArrayBuffer.isView(buffer)) opts = { ...(buffer as ReadOptions<T>) };
    else if (offset !== null && typeof offset === "object") opts = { ...offset, buffer };
    else opts = { buffer, offset: offset ?? undefined, length: length ?? undefined, position };
    const buf = opts.buffer ?? (Buffer.alloc(16384) as unknown as T);
    const [off, len] = rangeArg(buf, opts.offset, opts.length);
    const pos = positionArg(opts.position);
    return this.#run("read", async (file) => {
      const bytes = len === 0 ? new Uint8Array(0) : await file.read(len, pos);
      bytesOf(buf).set(bytes, off);
      return { bytesRead: bytes.length, buffer: buf };
    });
  }

  /** `write(buffer, offset?, length?, position?)`, `write(buffer, options)` or `write(string, position?, encoding?)`. */
  async write<T extends ArrayBufferView | string>(
    data: T,
    offsetOrPosition?: number | ReadOptions | null,
    lengthOrEncoding?: number | BufferEncoding | null,
    position?: number | null,
  ): Promise<WriteResult<T>> {
    let bytes: Uint8Array;
    let pos: number | undefined;
    if (typeof data === "string") {
      bytes = toBytes(data, (lengthOrEncoding as BufferEncoding | null) ?? "utf8", "buffer");
      pos = positionArg(offsetOrPosition);
    } else if (ArrayBuffer.isView(data)) {
      const opts =
        offsetOrPosition !== null && typeof offsetOrPosition === "object"
          ? offsetOrPosition
          : { offset: offsetOrPosition ?? undefined, length: lengthOrEncoding ?? undefined, position };
      const [off, len] = rangeArg(data, opts.offset, opts.length);
      bytes = bytesOf(data).subarray(off, off + len);
      pos = positionArg(opts.position);
    } else {
      throw invalidArgType(
        "buffer",
        "of type string or an instance of Buffer, TypedArray, or DataView",
        data,
      );
    }
    return this.#run("write", async (file) => ({ bytesWritten: await file.write(bytes, pos), buffer: data }));
  }

  /** From the current offset to the end of the file. */
  readFile(options?: { encoding?: null; flag?: string } | null): Promise<Buffer>;
  readFile(options: BufferEncoding | { encoding: BufferEncoding; flag?: string }): Promise<string>;
  readFile(
    options?: BufferEncoding | { encoding?: BufferEncoding | null; flag?: string } | null,
  ): Promise<string | Buffer>;
  async readFile(options?: unknown): Promise<string | Buffer> {
    const encoding = encodingOf(options);
    return this.#run("read", async (file) => {
      const chunks: Uint8Array[] = [];
      for (;;) {
        const chunk = await file.read(READ_CHUNK);
        if (chunk.length === 0) break;
        chunks.push(chunk);
      }
      return decode(Buffer.concat(chunks), encoding);
    });
  }

  /** At the current offset (at the end in append mode), as Node does for a handle. */
  async writeFile(
    data: string | ArrayBufferView,
    options?: BufferEncoding | { encoding?: BufferEncoding | null } | null,
  ): Promise<void> {
    const bytes = toBytes(data, encodingOf(options) as BufferEncoding | null | undefined);
    await this.#run("write", (file) => file.write(bytes));
  }

  appendFile(
    data: string | ArrayBufferView,
    options?: BufferEncoding | { encoding?: BufferEncoding | null } | null,
  ): Promise<void> {
    return this.writeFile(data, options);
  }

  async stat(): Promise<Stats> {
    return this.#run("fstat", async (file) => new Stats(await file.stat()));
  }

  async truncate(len = 0): Promise<void> {
    await this.#run("ftruncate", (file) => file.truncate(Math.max(0, len)));
  }

  /** Nothing to flush: the VM's files live in memory. */
  async sync(): Promise<void> {
    this.#file("fsync");
  }

  async datasync(): Promise<void> {
    this.#file("fdatasync");
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#fds.close(this.#fd);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
