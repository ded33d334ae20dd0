import { MessageChannel, type MessagePort } from "node:worker_threads";
import {
  type ByteView,
  byteView,
  decodeValues,
  encodedSize,
  encodedSizeBound,
  encodeToOwnedBuffer,
  encodeValues,
  type SyscallArg,
  type SyscallResult,
} from "./codec.ts";
import {
  CHUNK_BYTES,
  DEFAULT_DATA_BYTES,
  ERRNO,
  ERRNO_EIO,
  HEADER_BYTES,
  MAX_MESSAGE_BYTES,
  OP,
  REQ_ACK,
  REQ_CHUNK,
  RES_ACK,
  RES_CHUNK,
  STATE,
  TOTAL_BYTES,
} from "./protocol.ts";

/**
 * Answers one syscall. May answer asynchronously: the worker stays blocked until the promise
 * settles. To interrupt a blocked call (a signal arrives while the process waits on a pipe), the
 * kernel simply settles it early with an errno such as EINTR; the channel needs nothing more.
 */
export type SyscallHandler = (op: number, args: SyscallArg[]) => SyscallResult | Promise<SyscallResult>;

/** What a worker needs to connect: post it to the worker with `port` in the transfer list. */
export interface ChannelEndpoint {
  readonly buffer: SharedArrayBuffer;
  readonly port: MessagePort;
}

export interface SyscallChannelOptions {
  /** Size of the data area; bigger messages travel in chunks of this size. Default 1 MiB + 4 KiB. */
  dataBytes?: number;
  /** Called when a handler throws or answers something unencodable; the call gets EIO. Default: console.error. */
  onHandlerError?: (error: unknown, op: number) => void;
}

function defaultOnHandlerError(error: unknown, op: number): void {
  console.error(`syscall ${op}: handler failed, answering EIO:`, error);
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

/**
 * The host (kernel) side of a synchronous syscall channel to one worker. The channel never keeps
 * the event loop alive by itself (its port is unref'd): the worker handle decides that.
 */
export class SyscallChannel {
  readonly endpoint: ChannelEndpoint;
  readonly dataBytes: number;
  private readonly header: Int32Array;
  private readonly data: ByteView;
  private readonly port: MessagePort;
  private readonly onHandlerError: (error: unknown, op: number) => void;
  private handler: SyscallHandler | null;
  /** Bumped whenever answers in flight must be dropped (handler swapped, channel closed). */
  private generation = 0;
  private closed = false;
  /** A request arriving in several chunks. */
  private request: { view: ByteView; filled: number } | null = null;
  /** A response leaving in several chunks. */
  private response: { view: ByteView; sent: number } | null = null;

  constructor(handler: SyscallHandler | null, options: SyscallChannelOptions = {}) {
    this.dataBytes = options.dataBytes ?? DEFAULT_DATA_BYTES;
    // Chunks must keep the codec's 8-byte alignment of byte payloads.
    if (!Number.isInteger(this.dataBytes) || this.dataBytes < 64 || this.dataBytes % 8 !== 0) {
      throw new RangeError(`dataBytes must be a multiple of 8, ≥ 64; got ${this.dataBytes}`);
    }
    this.handler = handler;
    this.onHandlerError = options.onHandlerError ?? defaultOnHandlerError;
    const buffer = new SharedArrayBuffer(HEADER_BYTES + this.dataBytes);
    this.header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    this.data = byteView(buffer, HEADER_BYTES, this.dataBytes);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    port1.on("message", () => this.onWake());
    port1.unref();
    this.endpoint = { buffer, port: port2 };
  }

  /**
   * Replaces the handler (e.g. a pooled worker starting its next job). Answers still in flight
   * from the previous handler are dropped.
   */
  setHandler(handler: SyscallHandler | null): void {
    this.generation++;
    this.handler = handler;
    this.request = null;
    this.response = null;
  }

  /** Stops answering: pending answers are dropped (their worker is gone or going). Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.generation++;
    this.handler = null;
    this.request = null;
    this.response = null;
    this.port.close();
  }

  private onWake(): void {
    if (this.closed) return;
    const state = Atomics.load(this.header, STATE);
    if (state === REQ_CHUNK) this.receiveRequestChunk();
    else if (state === RES_ACK) this.sendNextResponseChunk();
  }

  private receiveRequestChunk(): void {
    const h = this.header;
    const chunk = h[CHUNK_BYTES]!;
    const total = h[TOTAL_BYTES]!;
    const op = h[OP]!;
    let args: SyscallArg[];
    try {
      if (this.request === null && chunk === total) {
        args = decodeValues(this.data, 0, chunk, true);
      } else {
        this.request ??= { view: byteView(new ArrayBuffer(total)), filled: 0 };
        const request = this.request;
        this.data.bytes.copy(request.view.bytes, request.filled, 0, chunk);
        request.filled += chunk;
        if (request.filled < total) {
          Atomics.store(h, STATE, REQ_ACK);
          Atomics.notify(h, STATE);
          return;
        }
        this.request = null;
        args = decodeValues(request.view, 0, total, false);
      }
    } catch (error) {
      this.request = null;
      this.fail(this.generation, error, op);
      return;
    }
    this.dispatch(op, args);
  }

  private dispatch(op: number, args: SyscallArg[]): void {
    const generation = this.generation;
    const handler = this.handler;
    if (handler === null) {
      this.fail(generation, new Error("no syscall handler installed"), op);
      return;
    }
    let result: SyscallResult | Promise<SyscallResult>;
    try {
      result = handler(op, args);
    } catch (error) {
      this.fail(generation, error, op);
      return;
    }
    if (isPromise(result)) {
      result.then(
        (value) => this.answer(generation, value, op),
        (error: unknown) => this.fail(generation, error, op),
      );
    } else {
      this.answer(generation, result, op);
    }
  }

  private fail(generation: number, error: unknown, op: number): void {
    if (generation !== this.generation) return;
    try {
      this.onHandlerError(error, op);
    } catch {
      // A failing logger must not wedge the worker.
    }
    this.answer(generation, { errno: ERRNO_EIO, values: [] }, op);
  }

  private answer(generation: number, result: SyscallResult, op: number): void {
    // The worker was terminated, or moved on to another job: nobody is waiting for this answer.
    if (generation !== this.generation) return;
    const values = result.values ?? [];
    let first: number;
    let total: number;
    try {
      if (!Number.isInteger(result.errno))
        throw new TypeError(`errno must be an integer, got ${result.errno}`);
      if (encodedSizeBound(values) <= this.dataBytes || encodedSize(values) <= this.dataBytes) {
        total = first = encodeValues(values, this.data, 0);
      } else {
        const view = encodeToOwnedBuffer(values);
        total = view.bytes.byteLength;
        if (total > MAX_MESSAGE_BYTES) throw new RangeError(`syscall result too large: ${total} bytes`);
        first = Math.min(total, this.dataBytes);
        this.data.bytes.set(view.bytes.subarray(0, first), 0);
        this.response = { view, sent: first };
      }
    } catch (error) {
      this.response = null;
      this.fail(generation, error, op);
      return;
    }
    const h = this.header;
    h[ERRNO] = result.errno;
    h[TOTAL_BYTES] = total;
    h[CHUNK_BYTES] = first;
    Atomics.store(h, STATE, RES_CHUNK);
    Atomics.notify(h, STATE);
  }

  private sendNextResponseChunk(): void {
    const response = this.response;
    if (response === null) return;
    const total = response.view.bytes.byteLength;
    const chunk = Math.min(total - response.sent, this.dataBytes);
    this.data.bytes.set(response.view.bytes.subarray(response.sent, response.sent + chunk), 0);
    response.sent += chunk;
    if (response.sent === total) this.response = null;
    const h = this.header;
    h[CHUNK_BYTES] = chunk;
    Atomics.store(h, STATE, RES_CHUNK);
    Atomics.notify(h, STATE);
  }
}
