import type { MessagePort } from "node:worker_threads";
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
import type { ChannelEndpoint } from "./host.ts";
import {
  CHUNK_BYTES,
  ERRNO,
  HEADER_BYTES,
  IDLE,
  MAX_MESSAGE_BYTES,
  OP,
  REQ_ACK,
  REQ_CHUNK,
  RES_ACK,
  RES_CHUNK,
  SEQ,
  STATE,
  TOTAL_BYTES,
} from "./protocol.ts";

/**
 * The worker side of a syscall channel: `call` blocks the worker thread (Atomics.wait) until the
 * host answers. Must not be used on the host's main thread (it would wait for itself forever).
 */
export class SyscallClient {
  private readonly header: Int32Array;
  private readonly data: ByteView;
  private readonly dataBytes: number;
  private readonly port: MessagePort;
  private seq = 0;

  constructor(endpoint: ChannelEndpoint) {
    const { buffer, port } = endpoint;
    this.header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    this.dataBytes = buffer.byteLength - HEADER_BYTES;
    this.data = byteView(buffer, HEADER_BYTES, this.dataBytes);
    this.port = port;
    // The worker never listens on this port; an unref'd port does not keep the worker alive.
    port.unref();
  }

  /**
   * Calls syscall `op` and returns its result. Byte arrays in the result are the caller's own
   * copies. Throws (without contacting the host) if `args` cannot be encoded.
   */
  call(op: number, args: readonly SyscallArg[] = []): SyscallResult {
    const h = this.header;
    h[OP] = op;
    h[SEQ] = ++this.seq;
    this.sendRequest(args);
    const result = this.receiveResponse();
    Atomics.store(h, STATE, IDLE);
    return result;
  }

  private sendRequest(args: readonly SyscallArg[]): void {
    const h = this.header;
    if (encodedSizeBound(args) <= this.dataBytes || encodedSize(args) <= this.dataBytes) {
      const total = encodeValues(args, this.data, 0);
      h[TOTAL_BYTES] = total;
      h[CHUNK_BYTES] = total;
      this.signalAndWait(REQ_CHUNK);
      return;
    }
    const message = encodeToOwnedBuffer(args);
    const total = message.bytes.byteLength;
    if (total > MAX_MESSAGE_BYTES) throw new RangeError(`syscall arguments too large: ${total} bytes`);
    h[TOTAL_BYTES] = total;
    for (let sent = 0; sent < total; ) {
      const chunk = Math.min(total - sent, this.dataBytes);
      this.data.bytes.set(message.bytes.subarray(sent, sent + chunk), 0);
      h[CHUNK_BYTES] = chunk;
      sent += chunk;
      // The host acknowledges non-final chunks with REQ_ACK; after the last one it answers.
      this.signalAndWait(REQ_CHUNK);
      if (sent < total && Atomics.load(h, STATE) !== REQ_ACK) {
        throw new Error(`syscall channel out of step: state ${Atomics.load(h, STATE)} mid-request`);
      }
    }
  }

  private receiveResponse(): SyscallResult {
    const h = this.header;
    if (Atomics.load(h, STATE) !== RES_CHUNK) {
      throw new Error(`syscall channel out of step: state ${Atomics.load(h, STATE)}, expected a response`);
    }
    const errno = h[ERRNO]!;
    const total = h[TOTAL_BYTES]!;
    let chunk = h[CHUNK_BYTES]!;
    if (chunk === total) return { errno, values: decodeValues(this.data, 0, total, true) };
    const message = byteView(new ArrayBuffer(total));
    let filled = 0;
    for (;;) {
      this.data.bytes.copy(message.bytes, filled, 0, chunk);
      filled += chunk;
      if (filled >= total) break;
      this.signalAndWait(RES_ACK);
      chunk = h[CHUNK_BYTES]!;
    }
    return { errno, values: decodeValues(message, 0, total, false) };
  }

  /** Publishes `state`, wakes the host, and blocks until the host moves the state on. */
  private signalAndWait(state: number): void {
    const h = this.header;
    Atomics.store(h, STATE, state);
    this.port.postMessage(0);
    while (Atomics.load(h, STATE) === state) Atomics.wait(h, STATE, state);
  }
}
