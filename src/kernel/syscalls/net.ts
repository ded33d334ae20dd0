/** Network syscalls: outbound HTTP through the egress policy, and servers on VM ports (src/net). */

import { egressAllowed } from "../../net/egress.ts";
import { findRequest, Listener, listen, runEgress } from "../../net/index.ts";
import { Errno } from "../abi.ts";
import { PipeEnd } from "../descriptions.ts";
import { kerr } from "../errors.ts";
import { Pipe } from "../pipe.ts";
import { bytes, type Handler, num, str } from "./common.ts";

const RESPONSE_PIPE_BYTES = 256 * 1024;

function parseHeaders(json: string): Array<[string, string]> {
  if (json === "") return [];
  try {
    const v = JSON.parse(json) as unknown;
    if (Array.isArray(v)) return v.map((e) => [String(e[0]), String(e[1])]);
  } catch {}
  throw kerr(Errno.INVAL, "headers must be JSON [[name, value], ...]");
}

export const httpRequest: Handler = (k, p, args) => {
  const method = str(args, 0).toUpperCase();
  let url: URL;
  try {
    url = new URL(str(args, 1));
  } catch {
    throw kerr(Errno.INVAL, "invalid URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw kerr(Errno.INVAL, "unsupported protocol");
  const headers = parseHeaders(str(args, 2));
  const body = bytes(args, 3);
  const follow = (num(args, 4) & 1) !== 0;
  if (!egressAllowed(k, url)) throw kerr(Errno.ACCES, `egress to ${url.host} denied`);
  const pipe = new Pipe(RESPONSE_PIPE_BYTES);
  const writer = new PipeEnd(pipe, "write");
  const reader = new PipeEnd(pipe, "read");
  let fd: number;
  try {
    fd = p.fds.add(reader, true);
  } catch (err) {
    reader.release();
    writer.release();
    throw err;
  }
  const ac = new AbortController();
  // The guest closing its end (or exiting) stops the transfer.
  const stop = () => {
    if (pipe.readers === 0) ac.abort();
    else pipe.changed.once(stop);
  };
  pipe.changed.once(stop);
  void runEgress(k, { method, url, headers, body: body.length ? body : null, follow }, pipe, ac.signal, () =>
    writer.release(),
  );
  return [fd];
};

export const netListen: Handler = (k, p, args) => {
  const l = listen(k, num(args, 0));
  try {
    return [p.fds.add(l, true), l.port];
  } catch (err) {
    l.release();
    throw err;
  }
};

export const netAccept: Handler = (_k, p, args) => {
  const d = p.fds.desc(num(args, 0));
  if (!(d instanceof Listener)) throw kerr(Errno.NOTSUP, "not a listening fd");
  const r = d.accept();
  if (!r) throw kerr(Errno.AGAIN);
  return [r.id, JSON.stringify(r.head), r.body];
};

export const netRespond: Handler = (k, _p, args) => {
  const r = findRequest(k, num(args, 0));
  if (!r) throw kerr(Errno.INVAL, "no such request");
  const head = str(args, 1);
  const chunk = bytes(args, 2);
  const end = num(args, 3) !== 0;
  if (head !== "") {
    let h: { status?: unknown; statusText?: unknown; headers?: unknown };
    try {
      h = JSON.parse(head);
    } catch {
      throw kerr(Errno.INVAL, "bad response head");
    }
    const status = Number(h.status);
    r.respond({
      status: status >= 200 && status <= 599 ? status : 500,
      statusText: typeof h.statusText === "string" ? h.statusText : "",
      headers: Array.isArray(h.headers) ? h.headers.map((e: unknown[]) => [String(e[0]), String(e[1])]) : [],
    });
  } else if (!r.started) throw kerr(Errno.INVAL, "response head not sent");
  if (chunk.length) r.chunk(new Uint8Array(chunk));
  if (end) r.end();
  return [];
};
