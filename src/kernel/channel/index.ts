/**
 * Synchronous syscalls from a worker thread to the kernel on the host thread, over one
 * SharedArrayBuffer per channel (see protocol.ts for the layout and state machine).
 *
 *   host:   const channel = new SyscallChannel(handler);
 *           worker.postMessage({ channel: channel.endpoint }, [channel.endpoint.port]);
 *   worker: const client = new SyscallClient(endpoint); client.call(op, args) // blocks
 */
export { SyscallClient } from "./client.ts";
export { fail, ok, type SyscallArg, type SyscallResult } from "./codec.ts";
export {
  type ChannelEndpoint,
  SyscallChannel,
  type SyscallChannelOptions,
  type SyscallHandler,
} from "./host.ts";
export { DEFAULT_DATA_BYTES, ERRNO_EINTR, ERRNO_EIO, ERRNO_SUCCESS } from "./protocol.ts";
