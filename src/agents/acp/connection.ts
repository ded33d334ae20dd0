/**
 * A minimal JSON-RPC 2.0 connection over newline-delimited JSON (ACP's stdio transport): requests
 * both ways, notifications, and a close signal.
 */

import type { Readable, Writable } from "node:stream";

type Handler = (params: unknown) => unknown | Promise<unknown>;

export class RpcError extends Error {
  readonly code: number;
  readonly data: unknown;
  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.name = "RpcError";
    this.code = code;
    this.data = data;
  }
}

export class JsonRpcConnection {
  private readonly output: Writable;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly requestHandlers = new Map<string, Handler>();
  private readonly notificationHandlers = new Map<string, Handler>();
  private nextId = 1;
  private buffer = "";
  private closedError: Error | undefined;
  /** Resolves when the input ends. */
  readonly closed: Promise<void>;

  constructor(input: Readable, output: Writable) {
    this.output = output;
    input.setEncoding("utf8");
    input.on("data", (chunk: string) => this.receive(chunk));
    this.closed = new Promise((resolve) => {
      const done = () => {
        this.close(new Error("the agent process closed the connection"));
        resolve();
      };
      input.on("end", done);
      input.on("close", done);
      input.on("error", done);
    });
    output.on("error", (e) => this.close(e));
  }

  onRequest(method: string, handler: Handler): void {
    this.requestHandlers.set(method, handler);
  }

  onNotification(method: string, handler: Handler): void {
    this.notificationHandlers.set(method, handler);
  }

  request<T = unknown>(method: string, params: unknown): Promise<T> {
    if (this.closedError) return Promise.reject(this.closedError);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.send({ jsonrpc: "2.0", id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    if (!this.closedError) this.send({ jsonrpc: "2.0", method, params });
  }

  close(error: Error): void {
    if (this.closedError) return;
    this.closedError = error;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  private send(message: unknown): void {
    this.output.write(`${JSON.stringify(message)}\n`);
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let nl = this.buffer.indexOf("\n");
    while (nl !== -1) {
      const line = this.buffer.slice(0, nl).trim();
      this.buffer = this.buffer.slice(nl + 1);
      if (line) this.dispatch(line);
      nl = this.buffer.indexOf("\n");
    }
  }

  private dispatch(line: string): void {
    let msg: { id?: number | string; method?: string; params?: unknown; result?: unknown; error?: RpcError };
    try {
      msg = JSON.parse(line);
    } catch {
      return; // Not JSON (a stray log line): ignore.
    }
    if (msg.method !== undefined && msg.id !== undefined) {
      const handler = this.requestHandlers.get(msg.method);
      const id = msg.id;
      if (!handler) {
        this.send({
          jsonrpc: "2.0",
          id,
          error: { code: -32601, message: `method not found: ${msg.method}` },
        });
        return;
      }
      Promise.resolve()
        .then(() => handler(msg.params))
        .then(
          (result) => this.send({ jsonrpc: "2.0", id, result: result ?? null }),
          (e: unknown) =>
            this.send({
              jsonrpc: "2.0",
              id,
              error: {
                code: e instanceof RpcError ? e.code : -32603,
                message: String((e as Error)?.message ?? e),
              },
            }),
        );
      return;
    }
    if (msg.method !== undefined) {
      void Promise.resolve()
        .then(() => this.notificationHandlers.get(msg.method!)?.(msg.params))
        .catch(() => {});
      return;
    }
    if (typeof msg.id === "number") {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new RpcError(msg.error.code, msg.error.message, msg.error.data));
      else p.resolve(msg.result);
    }
  }
}
