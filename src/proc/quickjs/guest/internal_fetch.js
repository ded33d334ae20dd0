// Outbound HTTP for guest code: the low-level request (Sys.HTTP_REQUEST: the host performs it after
// the VM's egress policy allows it, and streams the response back through a pipe: a JSON head line,
// then the body) and the WHATWG fetch API on top (fetch, Headers, Request, Response).

const internal = require("internal");
const { host, sys, Sys } = internal;

const HTTP_REQUEST = 100;
const EACCES = 2;
const EINVAL = 28;

function toBytes(body) {
  if (body == null) return new Uint8Array(0);
  if (typeof body === "string") return new Uint8Array(host.encode(body, "utf8"));
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (typeof URLSearchParams !== "undefined" && body instanceof URLSearchParams)
    return new Uint8Array(host.encode(body.toString(), "utf8"));
  return new Uint8Array(host.encode(String(body), "utf8"));
}

function concat(chunks) {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function deniedError(url) {
  let hostPort = url;
  try {
    const u = new URL(url);
    hostPort = `${u.hostname}:${u.port || (u.protocol === "https:" ? "443" : "80")}`;
  } catch {}
  const e = new Error(
    `EACCES: network access to ${hostPort} denied by the VM's egress policy (network.allow)`,
  );
  e.code = "EACCES";
  e.errno = -13;
  e.syscall = "connect";
  e.host = hostPort;
  return e;
}

/**
 * Starts a request. `h` receives onHead(head), onData(Uint8Array), onEnd(), onError(err) — all
 * asynchronously, from the event loop. Returns { abort() }.
 */
function rawRequest(opts, h) {
  const headers = [];
  for (const [n, v] of opts.headers || []) {
    if (Array.isArray(v)) for (const x of v) headers.push([String(n), String(x)]);
    else if (v !== undefined) headers.push([String(n), String(v)]);
  }
  const r = sys(
    HTTP_REQUEST,
    String(opts.method || "GET").toUpperCase(),
    String(opts.url),
    JSON.stringify(headers),
    toBytes(opts.body),
    opts.follow ? 1 : 0,
  );
  let done = false;
  if (r[0] !== 0) {
    let err;
    if (r[0] === EACCES) err = deniedError(String(opts.url));
    else if (r[0] === EINVAL) {
      err = new TypeError(`Invalid URL or unsupported protocol: ${opts.url}`);
      err.code = "ERR_INVALID_URL";
    } else err = internal.uvException(r[0], "connect");
    Promise.resolve().then(() => h.onError(err));
    return { abort() {} };
  }
  const fd = r[1];
  let head = null;
  let pending = [];
  const finish = () => {
    done = true;
    internal.watchers.delete(watcher);
    sys(Sys.CLOSE, fd);
  };
  const watcher = {
    fd,
    ref: true,
    onReady() {
      const rr = sys(Sys.READ, fd, 65536);
      if (rr[0] === 6) return;
      if (rr[0] !== 0 || rr[1].byteLength === 0) {
        finish();
        if (rr[0] !== 0) return h.onError(internal.uvException(rr[0], "read"));
        if (!head) {
          const e = new Error("socket hang up");
          e.code = "ECONNRESET";
          return h.onError(e);
        }
        return h.onEnd();
      }
      let data = new Uint8Array(rr[1]);
      if (!head) {
        pending.push(data);
        const all = concat(pending);
        const nl = all.indexOf(10);
        if (nl < 0) {
          pending = [all];
          return;
        }
        pending = [];
        head = JSON.parse(host.decode(all.slice(0, nl).buffer));
        data = all.subarray(nl + 1);
        if (head.error) {
          finish();
          const e = new Error(head.error);
          e.code = head.code;
          if (head.code === "EACCES") {
            e.errno = -13;
            e.syscall = "connect";
            e.host = head.host;
          }
          return h.onError(e);
        }
        h.onHead(head);
        if (done) return;
      }
      if (data.length) h.onData(data);
    },
  };
  internal.watchers.add(watcher);
  return {
    abort() {
      if (!done) finish();
    },
  };
}

// ---- WHATWG fetch ----------------------------------------------------------------------------

const kHeaders = Symbol("headers");

class Headers {
  constructor(init) {
    this[kHeaders] = new Map();
    if (init == null) return;
    if (init instanceof Headers) {
      for (const [k, v] of init[kHeaders]) this[kHeaders].set(k, [...v]);
    } else if (Array.isArray(init) || typeof init[Symbol.iterator] === "function") {
      for (const [k, v] of init) this.append(k, v);
    } else for (const k of Object.keys(init)) this.append(k, init[k]);
  }
  append(name, value) {
    const k = String(name).toLowerCase();
    const list = this[kHeaders].get(k);
    if (list) list.push(String(value));
    else this[kHeaders].set(k, [String(value)]);
  }
  set(name, value) {
    this[kHeaders].set(String(name).toLowerCase(), [String(value)]);
  }
  get(name) {
    const list = this[kHeaders].get(String(name).toLowerCase());
    return list ? list.join(", ") : null;
  }
  getSetCookie() {
    return [...(this[kHeaders].get("set-cookie") || [])];
  }
  has(name) {
    return this[kHeaders].has(String(name).toLowerCase());
  }
  delete(name) {
    this[kHeaders].delete(String(name).toLowerCase());
  }
  forEach(cb, thisArg) {
    for (const [k, v] of this.entries()) cb.call(thisArg, v, k, this);
  }
  *entries() {
    const keys = [...this[kHeaders].keys()].sort();
    for (const k of keys) {
      if (k === "set-cookie") for (const v of this[kHeaders].get(k)) yield [k, v];
      else yield [k, this.get(k)];
    }
  }
  *keys() {
    for (const [k] of this.entries()) yield k;
  }
  *values() {
    for (const [, v] of this.entries()) yield v;
  }
  [Symbol.iterator]() {
    return this.entries();
  }
  get [Symbol.toStringTag]() {
    return "Headers";
  }
}

function bodyInit(body, headers) {
  if (body == null) return null;
  if (typeof body === "string") {
    if (!headers.has("content-type")) headers.set("content-type", "text/plain;charset=UTF-8");
    return toBytes(body);
  }
  if (typeof URLSearchParams !== "undefined" && body instanceof URLSearchParams) {
    if (!headers.has("content-type"))
      headers.set("content-type", "application/x-www-form-urlencoded;charset=UTF-8");
    return toBytes(body.toString());
  }
  return toBytes(body);
}

class Body {
  _initBody(bytesOrPromise) {
    this._bytes = Promise.resolve(bytesOrPromise);
    this._hasBody = bytesOrPromise != null;
    this.bodyUsed = false;
  }
  _consume() {
    if (this.bodyUsed) return Promise.reject(new TypeError("Body is unusable: Body has already been read"));
    this.bodyUsed = true;
    return this._bytes.then((b) => b || new Uint8Array(0));
  }
  get body() {
    if (!this._hasBody) return null;
    const self = this;
    let sent = false;
    const reader = {
      read() {
        if (sent) return Promise.resolve({ done: true, value: undefined });
        sent = true;
        return self
          ._consume()
          .then((b) => (b.length ? { done: false, value: b } : { done: true, value: undefined }));
      },
      releaseLock() {},
      cancel() {
        sent = true;
        return Promise.resolve();
      },
    };
    return {
      getReader: () => reader,
      [Symbol.asyncIterator]: () => ({
        next: () => reader.read(),
        return: () => reader.cancel().then(() => ({ done: true })),
      }),
    };
  }
  arrayBuffer() {
    return this._consume().then((b) => b.slice().buffer);
  }
  bytes() {
    return this._consume().then((b) => b.slice());
  }
  text() {
    return this._consume().then((b) => host.decode(b.slice().buffer, "utf8"));
  }
  json() {
    return this.text().then((t) => JSON.parse(t));
  }
  blob() {
    return Promise.reject(internal.unsupported("Body.blob()"));
  }
  formData() {
    return Promise.reject(internal.unsupported("Body.formData()"));
  }
}

class Request extends Body {
  constructor(input, init = {}) {
    super();
    if (input instanceof Request) {
      this.url = input.url;
      this.method = input.method;
      this.headers = new Headers(init.headers || input.headers);
      this.redirect = init.redirect || input.redirect;
      this.signal = init.signal || input.signal;
      this._initBody(init.body !== undefined ? bodyInit(init.body, this.headers) : input._bytes);
      if (init.method) this.method = String(init.method).toUpperCase();
      return;
    }
    this.url = new URL(String(input)).href;
    this.method = String(init.method || "GET").toUpperCase();
    this.headers = new Headers(init.headers);
    this.redirect = init.redirect || "follow";
    this.signal = init.signal || null;
    if (init.body != null && (this.method === "GET" || this.method === "HEAD"))
      throw new TypeError("Request with GET/HEAD method cannot have body.");
    this._initBody(bodyInit(init.body, this.headers));
  }
  clone() {
    return new Request(this);
  }
}

const STATUS_TEXT = { 200: "OK", 201: "Created", 204: "No Content", 400: "Bad Request", 404: "Not Found" };

class Response extends Body {
  constructor(body = null, init = {}) {
    super();
    this.status = init.status ?? 200;
    this.statusText = init.statusText ?? "";
    this.headers = new Headers(init.headers);
    this.type = "default";
    this.url = init._url || "";
    this.redirected = !!init._redirected;
    this._initBody(init._bytes !== undefined ? init._bytes : bodyInit(body, this.headers));
  }
  get ok() {
    return this.status >= 200 && this.status <= 299;
  }
  clone() {
    if (this.bodyUsed) throw new TypeError("Response.clone: Body has already been consumed.");
    return new Response(null, {
      status: this.status,
      statusText: this.statusText,
      headers: this.headers,
      _url: this.url,
      _redirected: this.redirected,
      _bytes: this._bytes,
    });
  }
  static json(data, init = {}) {
    const headers = new Headers(init.headers);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
    return new Response(JSON.stringify(data), { ...init, headers });
  }
  static error() {
    const r = new Response(null, { status: 0 });
    r.type = "error";
    return r;
  }
  static redirect(url, status = 302) {
    return new Response(null, { status, headers: { location: String(url) } });
  }
}

function abortError(signal) {
  if (signal && signal.reason !== undefined) return signal.reason;
  const e = new Error("This operation was aborted");
  e.name = "AbortError";
  e.code = 20;
  return e;
}

function fetch(input, init = {}) {
  return new Promise((resolve, reject) => {
    const req = new Request(input, init);
    if (req.signal && req.signal.aborted) return reject(abortError(req.signal));
    req._bytes.then((body) => {
      let bodyResolve;
      let bodyReject;
      const bodyPromise = new Promise((res, rej) => {
        bodyResolve = res;
        bodyReject = rej;
      });
      bodyPromise.catch(() => {});
      const chunks = [];
      let settled = false;
      const handle = rawRequest(
        {
          method: req.method,
          url: req.url,
          headers: [...req.headers],
          body,
          follow: req.redirect === "follow",
        },
        {
          onHead(head) {
            settled = true;
            if (req.redirect === "error" && [301, 302, 303, 307, 308].includes(head.status)) {
              handle.abort();
              return reject(new TypeError("fetch failed: unexpected redirect"));
            }
            resolve(
              new Response(null, {
                status: head.status,
                statusText: head.statusText || STATUS_TEXT[head.status] || "",
                headers: head.headers,
                _url: head.url,
                _redirected: head.redirected,
                _bytes: bodyPromise,
              }),
            );
          },
          onData(d) {
            chunks.push(d.slice());
          },
          onEnd() {
            bodyResolve(chunks.length ? concat(chunks) : new Uint8Array(0));
          },
          onError(err) {
            if (settled) return bodyReject(err);
            settled = true;
            const e = new TypeError(`fetch failed: ${err.message}`);
            e.cause = err;
            if (err.code) e.code = err.code;
            reject(e);
          },
        },
      );
      if (req.signal)
        req.signal.addEventListener("abort", () => {
          handle.abort();
          const e = abortError(req.signal);
          if (!settled) {
            settled = true;
            reject(e);
          } else bodyReject(e);
        });
    }, reject);
  });
}

module.exports = { rawRequest, deniedError, toBytes, concat, fetch, Headers, Request, Response };
