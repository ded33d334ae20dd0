// node:http — clients through the VM's egress policy (the host performs requests: see
// internal_fetch.js) and servers listening on VM ports (Sys.NET_LISTEN; the host sends requests with
// vm.vmFetch(port, request)). Bodies are whole messages: no sockets, upgrades or keep-alive agents.

const internal = require("internal");
const EventEmitter = require("events");
const { Readable, Writable } = require("stream");
const { rawRequest } = require("internal/fetch");
const { sys, Sys } = internal;

const NET_LISTEN = 101;
const NET_ACCEPT = 102;
const NET_RESPOND = 103;

const STATUS_CODES = {
  100: "Continue",
  101: "Switching Protocols",
  200: "OK",
  201: "Created",
  202: "Accepted",
  203: "Non-Authoritative Information",
  204: "No Content",
  205: "Reset Content",
  206: "Partial Content",
  300: "Multiple Choices",
  301: "Moved Permanently",
  302: "Found",
  303: "See Other",
  304: "Not Modified",
  307: "Temporary Redirect",
  308: "Permanent Redirect",
  400: "Bad Request",
  401: "Unauthorized",
  402: "Payment Required",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  408: "Request Timeout",
  409: "Conflict",
  410: "Gone",
  411: "Length Required",
  412: "Precondition Failed",
  413: "Payload Too Large",
  414: "URI Too Long",
  415: "Unsupported Media Type",
  416: "Range Not Satisfiable",
  418: "I'm a Teapot",
  422: "Unprocessable Entity",
  425: "Too Early",
  426: "Upgrade Required",
  428: "Precondition Required",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  451: "Unavailable For Legal Reasons",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
  505: "HTTP Version Not Supported",
};
const METHODS = [
  "ACL",
  "BIND",
  "CHECKOUT",
  "CONNECT",
  "COPY",
  "DELETE",
  "GET",
  "HEAD",
  "LINK",
  "LOCK",
  "M-SEARCH",
  "MERGE",
  "MKACTIVITY",
  "MKCALENDAR",
  "MKCOL",
  "MOVE",
  "NOTIFY",
  "OPTIONS",
  "PATCH",
  "POST",
  "PROPFIND",
  "PROPPATCH",
  "PURGE",
  "PUT",
  "REBIND",
  "REPORT",
  "SEARCH",
  "SOURCE",
  "SUBSCRIBE",
  "TRACE",
  "UNBIND",
  "UNLINK",
  "UNLOCK",
  "UNSUBSCRIBE",
];

/** [[name, value], ...] → Node's headers object (lower-case names; set-cookie an array; others joined). */
function headersObject(pairs) {
  const out = {};
  for (const [n, v] of pairs) {
    const k = n.toLowerCase();
    if (k === "set-cookie") (out[k] ||= []).push(v);
    else if (k in out) out[k] += k === "cookie" ? `; ${v}` : `, ${v}`;
    else out[k] = v;
  }
  return out;
}

class IncomingMessage extends Readable {
  constructor() {
    super();
    this.httpVersion = "1.1";
    this.httpVersionMajor = 1;
    this.httpVersionMinor = 1;
    this.headers = {};
    this.rawHeaders = [];
    this.trailers = {};
    this.rawTrailers = [];
    this.complete = false;
    this.method = null;
    this.url = "";
    this.statusCode = null;
    this.statusMessage = null;
    this.socket = this.connection = { remoteAddress: "127.0.0.1", remotePort: 0, encrypted: false };
  }
  _read() {}
  _setHeaders(pairs) {
    this.headers = headersObject(pairs);
    this.rawHeaders = pairs.flat();
  }
  setTimeout(_ms, cb) {
    if (cb) this.once("timeout", cb);
    return this;
  }
}

/** Headers set with setHeader, kept with their original case. */
class OutgoingHeaders {
  constructor() {
    this.map = new Map();
  }
  set(name, value) {
    this.map.set(String(name).toLowerCase(), [String(name), value]);
  }
  get(name) {
    return this.map.get(String(name).toLowerCase())?.[1];
  }
  has(name) {
    return this.map.has(String(name).toLowerCase());
  }
  remove(name) {
    this.map.delete(String(name).toLowerCase());
  }
  object() {
    const o = {};
    for (const [k, [, v]] of this.map) o[k] = v;
    return o;
  }
  names() {
    return [...this.map.keys()];
  }
  pairs() {
    const out = [];
    for (const [, [n, v]] of this.map) {
      if (Array.isArray(v)) for (const x of v) out.push([n, String(x)]);
      else out.push([n, String(v)]);
    }
    return out;
  }
}

function chunkBytes(chunk, encoding) {
  if (typeof chunk === "string") return Buffer.from(chunk, encoding);
  return chunk;
}

// ---- client ------------------------------------------------------------------------------------

class ClientRequest extends Writable {
  constructor(url, options, cb, defaultProtocol) {
    super();
    const o = { ...options };
    this._headers = new OutgoingHeaders();
    const hdrs = o.headers || {};
    if (Array.isArray(hdrs))
      for (let i = 0; i + 1 < hdrs.length; i += 2) this._headers.set(hdrs[i], hdrs[i + 1]);
    else for (const k of Object.keys(hdrs)) this._headers.set(k, hdrs[k]);
    this.method = String(o.method || "GET").toUpperCase();
    const protocol = o.protocol || defaultProtocol;
    const hostname = o.hostname || (o.host ? String(o.host).replace(/:\d+$/, "") : "localhost");
    const port = o.port ? `:${o.port}` : "";
    const path = o.path || "/";
    this.protocol = protocol;
    this.host = hostname;
    this.path = path;
    this._url = url || `${protocol}//${hostname.includes(":") ? `[${hostname}]` : hostname}${port}${path}`;
    if (o.auth && !this._headers.has("authorization"))
      this._headers.set("Authorization", `Basic ${Buffer.from(o.auth).toString("base64")}`);
    this._chunks = [];
    this._handle = null;
    this.aborted = false;
    this.reusedSocket = false;
    this.headersSent = false;
    this.socket = { setTimeout() {}, setNoDelay() {}, setKeepAlive() {}, destroy: () => this.destroy() };
    if (o.signal) o.signal.addEventListener("abort", () => this.destroy(abortError()));
    if (cb) this.once("response", cb);
    if (o.timeout) this.setTimeout(o.timeout);
  }
  setHeader(name, value) {
    this._headers.set(name, value);
    return this;
  }
  getHeader(name) {
    return this._headers.get(name);
  }
  getHeaders() {
    return this._headers.object();
  }
  getHeaderNames() {
    return this._headers.names();
  }
  hasHeader(name) {
    return this._headers.has(name);
  }
  removeHeader(name) {
    this._headers.remove(name);
  }
  flushHeaders() {}
  setNoDelay() {}
  setSocketKeepAlive() {}
  setTimeout(ms, cb) {
    if (cb) this.once("timeout", cb);
    return this;
  }
  _write(chunk, encoding, cb) {
    this._chunks.push(chunkBytes(chunk, encoding));
    cb();
  }
  _final(cb) {
    this.headersSent = true;
    const body = this._chunks.length ? Buffer.concat(this._chunks) : null;
    const headers = this._headers.pairs();
    if (body && !this._headers.has("content-length") && !this._headers.has("transfer-encoding"))
      headers.push(["Content-Length", String(body.length)]);
    let res = null;
    this._handle = rawRequest(
      { method: this.method, url: this._url, headers, body, follow: false },
      {
        onHead: (head) => {
          res = new IncomingMessage();
          res.statusCode = head.status;
          res.statusMessage = head.statusText || STATUS_CODES[head.status] || "";
          res._setHeaders(head.headers);
          res.req = this;
          this.res = res;
          if (this.listenerCount("response") === 0) res.resume();
          this.emit("response", res);
        },
        onData: (d) => {
          res.push(Buffer.from(d));
        },
        onEnd: () => {
          res.complete = true;
          res.push(null);
          this.emit("close");
        },
        onError: (err) => {
          if (res) {
            res.destroy(err);
            return;
          }
          this.emit("error", err);
          this.emit("close");
        },
      },
    );
    cb();
  }
  abort() {
    this.destroy();
  }
  _destroy(err, cb) {
    this.aborted = true;
    if (this._handle) this._handle.abort();
    if (this.res && !this.res.complete) this.res.destroy(err || undefined);
    cb(err);
  }
}

function abortError() {
  const e = new Error("The operation was aborted");
  e.name = "AbortError";
  e.code = "ABORT_ERR";
  return e;
}

function makeRequest(defaultProtocol, args, end) {
  let url = null;
  let options = {};
  let cb;
  let i = 0;
  if (typeof args[0] === "string" || args[0] instanceof URL) {
    const u = new URL(String(args[0]));
    url = u.href;
    options = {
      protocol: u.protocol,
      hostname: u.hostname.replace(/^\[|\]$/g, ""),
      port: u.port,
      path: u.pathname + u.search,
    };
    if (u.username) options.auth = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
    i = 1;
  }
  if (args[i] && typeof args[i] === "object") {
    const extra = args[i];
    options = { ...options, ...extra };
    if (url && (extra.path || extra.hostname || extra.host || extra.port || extra.protocol)) url = null;
    i++;
  }
  if (typeof args[i] === "function") cb = args[i];
  if (options.protocol && options.protocol !== defaultProtocol && !url) {
    const e = new TypeError(`Protocol "${options.protocol}" not supported. Expected "${defaultProtocol}"`);
    e.code = "ERR_INVALID_PROTOCOL";
    throw e;
  }
  const req = new ClientRequest(url, options, cb, defaultProtocol);
  if (end) req.end();
  return req;
}

// ---- server ------------------------------------------------------------------------------------

class ServerResponse extends Writable {
  constructor(req, id) {
    super();
    this.req = req;
    this._id = id;
    this._headers = new OutgoingHeaders();
    this.statusCode = 200;
    this.statusMessage = undefined;
    this.headersSent = false;
    this.sendDate = true;
    this.socket = this.connection = req.socket;
  }
  setHeader(name, value) {
    if (this.headersSent) {
      const e = new Error("Cannot set headers after they are sent to the client");
      e.code = "ERR_HTTP_HEADERS_SENT";
      throw e;
    }
    this._headers.set(name, value);
    return this;
  }
  appendHeader(name, value) {
    const prev = this._headers.get(name);
    if (prev === undefined) return this.setHeader(name, value);
    return this.setHeader(name, [].concat(prev, value));
  }
  getHeader(name) {
    return this._headers.get(name);
  }
  getHeaders() {
    return this._headers.object();
  }
  getHeaderNames() {
    return this._headers.names();
  }
  hasHeader(name) {
    return this._headers.has(name);
  }
  removeHeader(name) {
    this._headers.remove(name);
  }
  writeHead(status, message, headers) {
    if (typeof message === "object" && message !== null) {
      headers = message;
      message = undefined;
    }
    this.statusCode = status;
    if (message !== undefined) this.statusMessage = message;
    if (Array.isArray(headers)) {
      if (Array.isArray(headers[0])) for (const [n, v] of headers) this.appendHeader(n, v);
      else for (let i = 0; i + 1 < headers.length; i += 2) this.appendHeader(headers[i], headers[i + 1]);
    } else if (headers) for (const k of Object.keys(headers)) this.setHeader(k, headers[k]);
    return this;
  }
  writeContinue() {}
  flushHeaders() {}
  setTimeout(_ms, cb) {
    if (cb) this.once("timeout", cb);
    return this;
  }
  _head() {
    if (this.headersSent) return "";
    this.headersSent = true;
    if (this.sendDate && !this._headers.has("date")) this._headers.set("Date", new Date().toUTCString());
    return JSON.stringify({
      status: this.statusCode,
      statusText: this.statusMessage || STATUS_CODES[this.statusCode] || "",
      headers: this._headers.pairs(),
    });
  }
  _send(chunk, end) {
    const r = sys(NET_RESPOND, this._id, this._head(), chunk || new Uint8Array(0), end ? 1 : 0);
    return r[0] === 0 ? null : internal.uvException(r[0], "write");
  }
  _write(chunk, encoding, cb) {
    cb(this._send(chunkBytes(chunk, encoding), false));
  }
  _final(cb) {
    const err = this._send(null, true);
    this.emit("close");
    cb(err);
  }
}

class Server extends EventEmitter {
  constructor(options, listener) {
    super();
    if (typeof options === "function") {
      listener = options;
      options = {};
    }
    if (listener) this.on("request", listener);
    this.listening = false;
    this._fd = -1;
    this._port = null;
    this._watcher = null;
    this.timeout = 0;
    this.keepAliveTimeout = 5000;
    this.requestTimeout = 300000;
    this.headersTimeout = 60000;
    this.maxHeadersCount = null;
  }
  listen(...args) {
    let port = 0;
    let cb;
    if (typeof args[args.length - 1] === "function") cb = args.pop();
    if (args[0] && typeof args[0] === "object") port = Number(args[0].port ?? 0);
    else if (args[0] !== undefined && args[0] !== null) port = Number(args[0]);
    if (cb) this.once("listening", cb);
    const r = sys(NET_LISTEN, port);
    if (r[0] !== 0) {
      const err = internal.uvException(r[0], "listen");
      if (r[0] === 3) {
        err.message = `listen EADDRINUSE: address already in use :::${port}`;
        err.code = "EADDRINUSE";
        err.errno = -98;
      }
      err.port = port;
      process.nextTick(() => this.emit("error", err));
      return this;
    }
    this._fd = r[1];
    this._port = r[2];
    this.listening = true;
    this._watcher = { fd: this._fd, ref: true, onReady: () => this._accept() };
    internal.watchers.add(this._watcher);
    process.nextTick(() => this.emit("listening"));
    return this;
  }
  _accept() {
    for (;;) {
      const r = sys(NET_ACCEPT, this._fd);
      if (r[0] !== 0) return;
      const [, id, headJson, body] = r;
      const head = JSON.parse(headJson);
      const req = new IncomingMessage();
      req.method = head.method;
      req.url = head.url;
      req._setHeaders(head.headers);
      const res = new ServerResponse(req, id);
      if (body.byteLength) req.push(Buffer.from(body));
      req.push(null);
      req.complete = true;
      try {
        this.emit("request", req, res);
      } catch (e) {
        internal.reportUncaught(e);
      }
    }
  }
  address() {
    if (!this.listening) return null;
    return { address: "::", family: "IPv6", port: this._port };
  }
  close(cb) {
    if (this.listening) {
      this.listening = false;
      internal.watchers.delete(this._watcher);
      sys(Sys.CLOSE, this._fd);
      this._fd = -1;
      process.nextTick(() => this.emit("close"));
      if (cb) this.once("close", cb);
    } else if (cb) {
      const e = new Error("Server is not running.");
      e.code = "ERR_SERVER_NOT_RUNNING";
      process.nextTick(cb, e);
    }
    return this;
  }
  closeAllConnections() {}
  closeIdleConnections() {}
  setTimeout(ms, cb) {
    this.timeout = ms;
    if (cb) this.on("timeout", cb);
    return this;
  }
  ref() {
    if (this._watcher) this._watcher.ref = true;
    return this;
  }
  unref() {
    if (this._watcher) this._watcher.ref = false;
    return this;
  }
  [Symbol.asyncDispose]() {
    return new Promise((resolve) => this.close(() => resolve()));
  }
}

class Agent extends EventEmitter {
  constructor(options = {}) {
    super();
    this.options = options;
    this.keepAlive = !!options.keepAlive;
    this.maxSockets = options.maxSockets ?? Number.POSITIVE_INFINITY;
  }
  destroy() {}
}

module.exports = {
  STATUS_CODES,
  METHODS,
  Agent,
  globalAgent: new Agent(),
  ClientRequest,
  IncomingMessage,
  OutgoingMessage: Writable,
  Server,
  ServerResponse,
  createServer: (options, listener) => new Server(options, listener),
  request: (...args) => makeRequest("http:", args, false),
  get: (...args) => makeRequest("http:", args, true),
  maxHeaderSize: 16384,
  validateHeaderName(name) {
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(String(name))) {
      const e = new TypeError(`Header name must be a valid HTTP token ["${name}"]`);
      e.code = "ERR_INVALID_HTTP_TOKEN";
      throw e;
    }
  },
  validateHeaderValue() {},
  _makeRequest: makeRequest,
};
