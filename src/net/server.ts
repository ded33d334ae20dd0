/**
 * Servers inside the VM: `http.createServer().listen(port)` takes a port of the VM's table (a
 * listening fd, readable while requests wait). The host sends requests with `vmFetch(kernel, port,
 * request)`: the guest accepts them from its event loop and answers (head, then body chunks), which
 * stream back as the host-side Response.
 */
import type { VfsStat } from "../fs/index.ts";
import { Errno, FileTypeCode, O } from "../kernel/abi.ts";
import { Description } from "../kernel/descriptions.ts";
import { kerr } from "../kernel/errors.ts";
import type { Kernel } from "../kernel/kernel.ts";
import { WaitQueue } from "../kernel/wait-queue.ts";
import { netState } from "./state.ts";

export interface ResponseHead {
  status: number;
  statusText?: string;
  headers: Array<[string, string]>;
}

/** A request delivered to a listener, waiting for (or receiving) its answer. */
export interface PendingRequest {
  id: number;
  head: { method: string; url: string; headers: Array<[string, string]> };
  body: Uint8Array;
  respond(head: ResponseHead): void;
  chunk(data: Uint8Array): void;
  end(): void;
  fail(err: Error): void;
  started: boolean;
}

let nextRequestId = 1;
let listenerIno = 3_000_000;

export class Listener extends Description {
  readonly filetype = FileTypeCode.SOCKET_STREAM;
  readonly ino = listenerIno++;
  readonly port: number;
  private readonly k: Kernel;
  readonly queue: PendingRequest[] = [];
  /** Accepted and not yet ended, by id. */
  readonly active = new Map<number, PendingRequest>();
  readonly changed = new WaitQueue();
  closed = false;

  constructor(k: Kernel, port: number) {
    super(O.READ, 0);
    this.k = k;
    this.port = port;
  }

  protected destroy(): void {
    this.closed = true;
    const state = netState(this.k);
    if (state.listeners.get(this.port) === this) state.listeners.delete(this.port);
    const err = new Error(`connect ECONNRESET: the server on VM port ${this.port} closed`);
    for (const r of [...this.queue, ...this.active.values()]) r.fail(err);
    this.queue.length = 0;
    this.active.clear();
    this.changed.wake();
  }

  read(): Promise<Uint8Array> {
    return Promise.reject(kerr(Errno.NOTSUP));
  }
  write(): Promise<number> {
    return Promise.reject(kerr(Errno.NOTSUP));
  }
  async stat(): Promise<VfsStat> {
    const t = Date.now();
    return {
      type: "socket",
      dev: 0,
      ino: this.ino,
      mode: 0o140777,
      nlink: 1,
      uid: 0,
      gid: 0,
      rdev: 0,
      size: 0,
      blksize: 4096,
      blocks: 0,
      atimeMs: t,
      mtimeMs: t,
      ctimeMs: t,
      birthtimeMs: t,
    };
  }
  readable(): boolean {
    return this.queue.length > 0;
  }
  writable(): boolean {
    return false;
  }
  override get readiness(): WaitQueue {
    return this.changed;
  }
  override available(): number {
    return this.queue.length;
  }

  enqueue(r: PendingRequest): void {
    this.queue.push(r);
    this.changed.wake();
  }

  accept(): PendingRequest | undefined {
    const r = this.queue.shift();
    if (r) this.active.set(r.id, r);
    return r;
  }
}

/** Opens a listener on `port` (0 = any free port); EADDRINUSE when taken. */
export function listen(k: Kernel, port: number): Listener {
  const state = netState(k);
  if (port === 0) {
    while (state.listeners.has(state.nextEphemeral)) state.nextEphemeral++;
    port = state.nextEphemeral++;
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw kerr(Errno.INVAL, `bad port ${port}`);
  if (state.listeners.has(port)) throw kerr(Errno.ADDRINUSE, `port ${port} in use`);
  const l = new Listener(k, port);
  state.listeners.set(port, l);
  return l;
}

/** Finds an accepted request by id among the kernel's listeners. */
export function findRequest(k: Kernel, id: number): PendingRequest | undefined {
  for (const l of netState(k).listeners.values()) {
    const r = l.active.get(id);
    if (r) return r;
  }
  return undefined;
}

/** Ports with a listening server in the VM. */
export function listeningPorts(k: Kernel): number[] {
  return [...netState(k).listeners.keys()].sort((a, b) => a - b);
}

/**
 * Sends `request` to the server listening on VM `port` and resolves with its response (the body
 * streams as the guest writes it). Rejects when nothing listens there or the server goes away
 * before answering.
 */
export async function vmFetch(k: Kernel, port: number, request: Request): Promise<Response> {
  const listener = netState(k).listeners.get(port);
  if (!listener || listener.closed)
    throw Object.assign(new Error(`connect ECONNREFUSED: nothing listens on VM port ${port}`), {
      code: "ECONNREFUSED",
    });
  const url = new URL(request.url);
  const headers: Array<[string, string]> = [];
  request.headers.forEach((v, n) => {
    headers.push([n, v]);
  });
  if (!request.headers.has("host")) headers.push(["host", url.host]);
  const body = request.body ? new Uint8Array(await request.arrayBuffer()) : new Uint8Array(0);
  return new Promise<Response>((resolve, reject) => {
    let controller: ReadableStreamDefaultController<Uint8Array> | null = null;
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        controller = c;
      },
    });
    const pending: PendingRequest = {
      id: nextRequestId++,
      head: { method: request.method, url: url.pathname + url.search, headers },
      body,
      started: false,
      respond(head) {
        pending.started = true;
        const noBody = head.status === 204 || head.status === 304 || request.method === "HEAD";
        if (noBody) controller?.close();
        resolve(
          new Response(noBody ? null : stream, {
            status: head.status,
            ...(head.statusText ? { statusText: head.statusText } : {}),
            headers: head.headers,
          }),
        );
      },
      chunk(data) {
        try {
          controller?.enqueue(data);
        } catch {
          // closed (a body-less status): drop
        }
      },
      end() {
        listener.active.delete(pending.id);
        try {
          controller?.close();
        } catch {}
      },
      fail(err) {
        if (!pending.started) reject(err);
        else
          try {
            controller?.error(err);
          } catch {}
      },
    };
    listener.enqueue(pending);
  });
}
