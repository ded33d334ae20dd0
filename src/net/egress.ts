/**
 * Outbound HTTP(S) for guest code, performed by the host with global fetch after the egress policy
 * allows it. The response streams to the guest through a pipe: one line of JSON (the head, or an
 * error), then the body bytes until end of file.
 *
 * Head: {"status", "statusText", "headers": [[name, value], ...], "url", "redirected"} or
 * {"error": message, "code": "EACCES" | "ECONNREFUSED" | ...}.
 */
import type { Kernel } from "../kernel/kernel.ts";
import type { Pipe } from "../kernel/pipe.ts";
import { describeHost, injectedHeaders, isAllowed } from "./policy.ts";
import { netState } from "./state.ts";

export interface EgressRequest {
  method: string;
  url: URL;
  headers: Array<[string, string]>;
  body: Uint8Array | null;
  /** Follow redirects (fetch's default); http.request never does. */
  follow: boolean;
}

const MAX_REDIRECTS = 20;

export function deniedMessage(url: URL): string {
  return `network access to ${describeHost(url)} denied by the VM's egress policy (network.allow)`;
}

/** Whether the kernel's policy lets a request to `url` out. */
export function egressAllowed(k: Kernel, url: URL): boolean {
  return isAllowed(netState(k).policy, url);
}

const encoder = new TextEncoder();

/** Performs `req` and writes head + body into `pipe` (whose write end the caller holds); never throws. */
export async function runEgress(
  k: Kernel,
  req: EgressRequest,
  pipe: Pipe,
  signal: AbortSignal,
  done: () => void,
): Promise<void> {
  const write = async (b: Uint8Array) => {
    let off = 0;
    while (off < b.length) off += await pipe.write(off ? b.subarray(off) : b, false, signal);
  };
  const head = (o: unknown) => write(encoder.encode(`${JSON.stringify(o)}\n`));
  try {
    let url = req.url;
    let method = req.method;
    let body = req.body;
    let guestHeaders = req.headers;
    let redirected = false;
    let res: Response;
    for (let hop = 0; ; hop++) {
      const policy = netState(k).policy;
      if (!isAllowed(policy, url)) {
        await head({ error: `EACCES: ${deniedMessage(url)}`, code: "EACCES", host: describeHost(url) });
        return;
      }
      const headers = new Headers();
      for (const [n, v] of guestHeaders) headers.append(n, v);
      for (const [n, v] of Object.entries(injectedHeaders(policy, url))) headers.set(n, v);
      try {
        res = await fetch(url, {
          method,
          headers,
          body: body && method !== "GET" && method !== "HEAD" ? new Uint8Array(body) : null,
          redirect: "manual",
          signal,
        });
      } catch (err) {
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        const code = cause?.code ?? "ECONNRESET";
        await head({
          error: `${code === "ECONNREFUSED" ? "connect " : ""}${code}${cause?.message ? `: ${cause.message}` : ""} (${describeHost(url)})`,
          code,
        });
        return;
      }
      const location = res.headers.get("location");
      if (!req.follow || !location || ![301, 302, 303, 307, 308].includes(res.status)) break;
      if (hop >= MAX_REDIRECTS) {
        await head({ error: "fetch failed: redirect count exceeded", code: "ERR_TOO_MANY_REDIRECTS" });
        return;
      }
      await res.body?.cancel();
      const next = new URL(location, url);
      if (next.origin !== url.origin)
        guestHeaders = guestHeaders.filter(([n]) => !/^(authorization|cookie|proxy-authorization)$/i.test(n));
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === "POST")) {
        method = method === "HEAD" ? "HEAD" : "GET";
        body = null;
        guestHeaders = guestHeaders.filter(([n]) => !/^content-(type|length)$/i.test(n));
      }
      url = next;
      redirected = true;
    }
    const headers: Array<[string, string]> = [];
    const encoded = res.headers.has("content-encoding");
    res.headers.forEach((v, n) => {
      if (n === "set-cookie") return;
      // fetch already decoded the body: do not make the guest decode it again.
      if (encoded && (n === "content-encoding" || n === "content-length")) return;
      headers.push([n, v]);
    });
    for (const c of res.headers.getSetCookie()) headers.push(["set-cookie", c]);
    await head({ status: res.status, statusText: res.statusText, headers, url: url.href, redirected });
    if (res.body) {
      const reader = res.body.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          await write(value);
        }
      } finally {
        reader.cancel().catch(() => {});
      }
    }
  } catch {
    // The guest closed its end (EPIPE) or ended: stop quietly.
  } finally {
    done();
  }
}
