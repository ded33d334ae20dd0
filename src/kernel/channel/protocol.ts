/**
 * The shared-memory layout of a syscall channel. One `SharedArrayBuffer` per channel:
 *
 *   bytes 0..63   Int32 control header (indices below)
 *   bytes 64..    data area: one chunk of an encoded request or response
 *
 * A call is a small state machine on `STATE`. The worker only ever wakes the host with a
 * `postMessage` on the channel's port (cheaper than the host sitting in `Atomics.waitAsync`), and the
 * host only ever wakes the worker with `Atomics.notify`; each side blocks/returns only when the
 * other has moved `STATE` on, so there is exactly one message per host action.
 *
 *   worker: write chunk, STATE=REQ_CHUNK, post ──► host: copy chunk; more to come? STATE=REQ_ACK, notify
 *   (repeat until the last request chunk)          last chunk: run the handler (maybe async), then
 *   worker: read chunk ◄──────────────────────────  write first response chunk, STATE=RES_CHUNK, notify
 *   more to come? STATE=RES_ACK, post ──────────►  host: write next chunk, STATE=RES_CHUNK, notify
 *   done: STATE=IDLE
 */

export const STATE = 0;
/** Request: the syscall number. */
export const OP = 1;
/** Bytes of the current chunk in the data area. */
export const CHUNK_BYTES = 2;
/** Bytes of the whole encoded message (request args or response values). */
export const TOTAL_BYTES = 3;
/** Response: the errno (0 on success). */
export const ERRNO = 4;
/** Request counter, for debugging a stuck channel. */
export const SEQ = 5;

export const HEADER_BYTES = 64;

export const IDLE = 0;
/** The worker wrote a request chunk; the host must read it. */
export const REQ_CHUNK = 1;
/** The host consumed a non-final request chunk; the worker writes the next one. */
export const REQ_ACK = 2;
/** The host wrote a response chunk; the worker reads it. */
export const RES_CHUNK = 3;
/** The worker consumed a non-final response chunk; the host writes the next one. */
export const RES_ACK = 4;

/** Default size of the data area: a 1 MiB read or write plus its other arguments fit in one chunk. */
export const DEFAULT_DATA_BYTES = (1 << 20) + 4096;
/** Total message sizes travel in an Int32. */
export const MAX_MESSAGE_BYTES = 0x7fff_ffff;

/** WASI preview1 errno numbers the channel itself needs (the kernel owns the full table). */
export const ERRNO_SUCCESS = 0;
export const ERRNO_EINTR = 27;
export const ERRNO_EIO = 29;
