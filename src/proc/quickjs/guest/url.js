// node:url — WHATWG URL and URLSearchParams (common cases), fileURLToPath/pathToFileURL, legacy parse/format/resolve.

const SPECIAL = { "http:": 80, "https:": 443, "ws:": 80, "wss:": 443, "ftp:": 21, "file:": null };

function invalid(input) {
  const e = new TypeError("Invalid URL");
  e.code = "ERR_INVALID_URL";
  e.input = input;
  return e;
}

function encodeSet(s, re) {
  let out = "";
  for (const ch of s) {
    if (re.test(ch)) {
      for (const b of Buffer.from(ch)) out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
    } else out += ch;
  }
  return out;
}
const PATH_ENC = /[\u0000-\u0020"<>`#?{}\u007f-\uffff]/u;
const QUERY_ENC = /[\u0000-\u0020"<>#'\u007f-\uffff]/u;
const FRAG_ENC = /[\u0000-\u0020"<>`\u007f-\uffff]/u;
const USER_ENC = /[\u0000-\u0020"<>`#?{}/:;=@[\\\]^|\u007f-\uffff]/u;

function normalizePath(path, special) {
  const segs = path.split("/");
  const out = [];
  for (let i = 1; i < segs.length; i++) {
    const s = segs[i];
    const lower = s.toLowerCase();
    if (s === ".." || lower === "%2e%2e" || lower === ".%2e" || lower === "%2e.") {
      if (out.length) out.pop();
      if (i === segs.length - 1) out.push("");
    } else if (s === "." || lower === "%2e") {
      if (i === segs.length - 1) out.push("");
    } else out.push(s);
  }
  return `/${out.map((s) => encodeSet(s, PATH_ENC)).join("/")}`;
}

class URL {
  constructor(input, base) {
    input = String(input).trim();
    if (base !== undefined) {
      const b = base instanceof URL ? base : new URL(String(base));
      this._parse(input, b);
    } else this._parse(input, null);
  }
  _parse(input, base) {
    input = input.replace(/[\t\n\r]/g, "");
    const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$/.exec(input);
    if (m && !(base && m[1].length === 1 && false)) {
      this._protocol = `${m[1].toLowerCase()}:`;
      let rest = m[2];
      const special = this._protocol in SPECIAL;
      if (special) rest = rest.replace(/\\/g, "/");
      if (base && special && base._protocol === this._protocol && !rest.startsWith("/")) {
        return this._relative(rest, base);
      }
      if (rest.startsWith("//") || (special && this._protocol !== "file:")) {
        rest = rest.replace(/^\/*/, "");
        return this._authority(rest, special);
      }
      if (this._protocol === "file:") return this._authority(rest.replace(/^\/*/, ""), true, true);
      // Opaque path (mailto:, data:, …)
      this._username = this._password = this._hostname = this._port = "";
      this._host = null;
      const [pq, hash] = splitOnce(rest, "#");
      const [p, q] = splitOnce(pq, "?");
      this._pathname = p;
      this._search = q === null ? "" : `?${encodeSet(q, QUERY_ENC)}`;
      this._hash = hash === null ? "" : `#${encodeSet(hash, FRAG_ENC)}`;
      this._opaque = true;
      return;
    }
    if (!base) throw invalid(input);
    this._protocol = base._protocol;
    this._relative(input.replace(/\\/g, "/"), base);
  }
  _relative(rest, base) {
    if (rest.startsWith("//")) return this._authority(rest.slice(2), true);
    this._username = base._username;
    this._password = base._password;
    this._hostname = base._hostname;
    this._port = base._port;
    const [pq, hash] = splitOnce(rest, "#");
    this._hash = hash === null ? "" : `#${encodeSet(hash, FRAG_ENC)}`;
    if (pq === "") {
      this._pathname = base._pathname;
      this._search = base._search;
      return;
    }
    const [p, q] = splitOnce(pq, "?");
    this._search = q === null ? "" : `?${encodeSet(q, QUERY_ENC)}`;
    if (p === "") {
      this._pathname = base._pathname;
      if (q === null) this._search = base._search;
      return;
    }
    if (p.startsWith("/")) this._pathname = normalizePath(p, true);
    else {
      const dir = base._pathname.slice(0, base._pathname.lastIndexOf("/") + 1);
      this._pathname = normalizePath(dir + p, true);
    }
  }
  _authority(rest, special, isFile) {
    const end = rest.search(/[/?#]/);
    const auth = end < 0 ? rest : rest.slice(0, end);
    const after = end < 0 ? "" : rest.slice(end);
    let hostport = auth;
    this._username = "";
    this._password = "";
    const at = auth.lastIndexOf("@");
    if (at >= 0) {
      const cred = auth.slice(0, at);
      hostport = auth.slice(at + 1);
      const [u, pw] = splitOnce(cred, ":");
      this._username = encodeSet(u, USER_ENC);
      this._password = pw === null ? "" : encodeSet(pw, USER_ENC);
    }
    let host = hostport;
    let port = "";
    const pm = /^(.*?)(?::(\d*))?$/.exec(hostport);
    if (pm && !hostport.endsWith("]")) {
      host = pm[1];
      port = pm[2] || "";
    }
    if (/[:\d]/.test(hostport) && /:[^\d\]]/.test(hostport) && !hostport.startsWith("[")) throw invalid(rest);
    if (special && !isFile && host === "") throw invalid(rest);
    if (/[\s<>^|%]/.test(host) && !/%[0-9a-fA-F]{2}/.test(host)) throw invalid(rest);
    this._hostname = special ? decodeURIComponent(host).toLowerCase() : host;
    if (port !== "" && Number(port) > 65535) throw invalid(rest);
    this._port = port === "" || Number(port) === SPECIAL[this._protocol] ? "" : String(Number(port));
    const [pq, hash] = splitOnce(after, "#");
    const [p, q] = splitOnce(pq, "?");
    this._pathname = p === "" ? (special ? "/" : "") : normalizePath(p, special);
    this._search = q === null || q === "" ? "" : `?${encodeSet(q, QUERY_ENC)}`;
    this._hash = hash === null || hash === "" ? "" : `#${encodeSet(hash, FRAG_ENC)}`;
  }
  get protocol() {
    return this._protocol;
  }
  set protocol(v) {
    this._protocol = `${String(v).replace(/:$/, "")}:`;
  }
  get username() {
    return this._username;
  }
  set username(v) {
    this._username = encodeSet(String(v), USER_ENC);
  }
  get password() {
    return this._password;
  }
  set password(v) {
    this._password = encodeSet(String(v), USER_ENC);
  }
  get hostname() {
    return this._hostname;
  }
  set hostname(v) {
    this._hostname = String(v).toLowerCase();
  }
  get port() {
    return this._port;
  }
  set port(v) {
    const n = String(v);
    this._port = n === "" || Number(n) === SPECIAL[this._protocol] ? "" : String(Number.parseInt(n, 10));
  }
  get host() {
    return this._port ? `${this._hostname}:${this._port}` : this._hostname;
  }
  set host(v) {
    const [h, p] = splitOnce(String(v), ":");
    this._hostname = h.toLowerCase();
    if (p !== null) this.port = p;
  }
  get origin() {
    if (this._protocol in SPECIAL && this._protocol !== "file:") return `${this._protocol}//${this.host}`;
    return "null";
  }
  get pathname() {
    return this._pathname;
  }
  set pathname(v) {
    v = String(v);
    this._pathname = this._opaque ? v : normalizePath(v.startsWith("/") ? v : `/${v}`, true);
  }
  get search() {
    return this._search.length <= 1 ? "" : this._search;
  }
  set search(v) {
    v = String(v);
    this._search = v === "" || v === "?" ? "" : `?${encodeSet(v.replace(/^\?/, ""), QUERY_ENC)}`;
    if (this._sp) this._sp._reset(this._search);
  }
  get searchParams() {
    if (!this._sp) {
      this._sp = new URLSearchParams(this._search);
      this._sp._url = this;
    }
    return this._sp;
  }
  get hash() {
    return this._hash.length <= 1 ? "" : this._hash;
  }
  set hash(v) {
    v = String(v);
    this._hash = v === "" ? "" : `#${encodeSet(v.replace(/^#/, ""), FRAG_ENC)}`;
  }
  get href() {
    const auth =
      this._username || this._password
        ? `${this._username}${this._password ? `:${this._password}` : ""}@`
        : "";
    if (this._opaque) return `${this._protocol}${this._pathname}${this._search}${this._hash}`;
    return `${this._protocol}//${auth}${this.host}${this._pathname}${this._search}${this._hash}`;
  }
  set href(v) {
    const u = new URL(v);
    Object.assign(this, u);
  }
  toString() {
    return this.href;
  }
  toJSON() {
    return this.href;
  }
  static canParse(input, base) {
    try {
      new URL(input, base);
      return true;
    } catch {
      return false;
    }
  }
  static parse(input, base) {
    try {
      return new URL(input, base);
    } catch {
      return null;
    }
  }
  [Symbol.for("nodejs.util.inspect.custom")]() {
    const keys = [
      "href",
      "origin",
      "protocol",
      "username",
      "password",
      "host",
      "hostname",
      "port",
      "pathname",
      "search",
      "searchParams",
      "hash",
    ];
    const util = require("util");
    return `URL {\n${keys.map((k) => `  ${k}: ${util.inspect(this[k])}`).join(",\n")}\n}`;
  }
}
for (const k of [
  "_protocol",
  "_username",
  "_password",
  "_hostname",
  "_port",
  "_pathname",
  "_search",
  "_hash",
  "_opaque",
  "_sp",
  "_host",
]) {
  Object.defineProperty(URL.prototype, k, { writable: true, enumerable: false, value: undefined });
}

function splitOnce(s, sep) {
  const i = s.indexOf(sep);
  return i < 0 ? [s, null] : [s.slice(0, i), s.slice(i + 1)];
}

function formEncode(s) {
  return encodeURIComponent(s)
    .replace(/%20/g, "+")
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
function formDecode(s) {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s;
  }
}

class URLSearchParams {
  constructor(init = "") {
    this._list = [];
    if (typeof init === "string") this._reset(init);
    else if (init && typeof init[Symbol.iterator] === "function")
      for (const [k, v] of init) this._list.push([String(k), String(v)]);
    else if (init && typeof init === "object")
      for (const k of Object.keys(init)) this._list.push([k, String(init[k])]);
  }
  _reset(s) {
    this._list = [];
    s = s.replace(/^\?/, "");
    if (!s) return;
    for (const part of s.split("&")) {
      if (!part) continue;
      const [k, v] = splitOnce(part, "=");
      this._list.push([formDecode(k), formDecode(v ?? "")]);
    }
  }
  _update() {
    if (this._url) {
      const s = this.toString();
      this._url._search = s ? `?${s}` : "";
    }
  }
  get size() {
    return this._list.length;
  }
  append(k, v) {
    this._list.push([String(k), String(v)]);
    this._update();
  }
  delete(k, v) {
    this._list = this._list.filter(([a, b]) => a !== k || (v !== undefined && b !== String(v)));
    this._update();
  }
  get(k) {
    const e = this._list.find(([a]) => a === k);
    return e ? e[1] : null;
  }
  getAll(k) {
    return this._list.filter(([a]) => a === k).map(([, v]) => v);
  }
  has(k, v) {
    return this._list.some(([a, b]) => a === k && (v === undefined || b === String(v)));
  }
  set(k, v) {
    const i = this._list.findIndex(([a]) => a === k);
    if (i < 0) this._list.push([String(k), String(v)]);
    else {
      this._list[i][1] = String(v);
      this._list = this._list.filter(([a], j) => a !== k || j === i);
    }
    this._update();
  }
  sort() {
    this._list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    this._update();
  }
  forEach(fn, thisArg) {
    for (const [k, v] of this._list) fn.call(thisArg, v, k, this);
  }
  keys() {
    return this._list.map(([k]) => k)[Symbol.iterator]();
  }
  values() {
    return this._list.map(([, v]) => v)[Symbol.iterator]();
  }
  entries() {
    return this._list.map(([k, v]) => [k, v])[Symbol.iterator]();
  }
  [Symbol.iterator]() {
    return this.entries();
  }
  toString() {
    return this._list.map(([k, v]) => `${formEncode(k)}=${formEncode(v)}`).join("&");
  }
  [Symbol.for("nodejs.util.inspect.custom")]() {
    const util = require("util");
    if (!this._list.length) return "URLSearchParams {}";
    return `URLSearchParams { ${this._list.map(([k, v]) => `${util.inspect(k)} => ${util.inspect(v)}`).join(", ")} }`;
  }
}
for (const k of ["_list", "_url"])
  Object.defineProperty(URLSearchParams.prototype, k, {
    writable: true,
    enumerable: false,
    value: undefined,
  });

function fileURLToPath(u) {
  const url = typeof u === "string" ? new URL(u) : u;
  if (url.protocol !== "file:") {
    const e = new TypeError("The URL must be of scheme file");
    e.code = "ERR_INVALID_URL_SCHEME";
    throw e;
  }
  return decodeURIComponent(url.pathname);
}
function pathToFileURL(p) {
  const abs = require("path").resolve(p);
  const url = new URL("file:///");
  url._pathname =
    encodeSet(abs, /[\u0000-\u0020"#%<>?`{}\u007f-\uffff]/u) + (p.endsWith("/") && abs !== "/" ? "/" : "");
  return url;
}

function parse(str, parseQuery) {
  const out = {
    protocol: null,
    slashes: null,
    auth: null,
    host: null,
    port: null,
    hostname: null,
    hash: null,
    search: null,
    query: null,
    pathname: null,
    path: null,
    href: str,
  };
  let rest = str;
  const pm = /^([a-zA-Z][a-zA-Z0-9+.-]*:)/.exec(rest);
  if (pm) {
    out.protocol = pm[1].toLowerCase();
    rest = rest.slice(pm[1].length);
  }
  if (rest.startsWith("//")) {
    out.slashes = true;
    rest = rest.slice(2);
    const end = rest.search(/[/?#]/);
    const auth = end < 0 ? rest : rest.slice(0, end);
    rest = end < 0 ? "" : rest.slice(end);
    const at = auth.lastIndexOf("@");
    const hostport = at >= 0 ? auth.slice(at + 1) : auth;
    if (at >= 0) out.auth = decodeURIComponent(auth.slice(0, at));
    out.host = hostport.toLowerCase();
    const [h, p] = splitOnce(out.host, ":");
    out.hostname = h;
    out.port = p;
    if (rest === "") rest = "/";
  }
  const [pq, hash] = splitOnce(rest, "#");
  if (hash !== null) out.hash = `#${hash}`;
  const [p, q] = splitOnce(pq, "?");
  out.pathname = p || (out.slashes ? "/" : null);
  if (q !== null) {
    out.search = `?${q}`;
    out.query = parseQuery ? require("querystring").parse(q) : q;
  } else if (parseQuery) {
    out.search = "";
    out.query = {};
  }
  out.path = (out.pathname || "") + (out.search || "") || null;
  out.href = format(out);
  return out;
}
function format(o) {
  if (typeof o === "string") o = parse(o);
  if (o instanceof URL) return o.href;
  let s = o.protocol || "";
  if (s && !s.endsWith(":")) s += ":";
  if (o.slashes || o.host || o.hostname) s += "//";
  if (o.auth) s += `${o.auth}@`;
  s += o.host || (o.hostname ? `${o.hostname}${o.port ? `:${o.port}` : ""}` : "");
  s += o.pathname || "";
  if (o.search) s += o.search;
  else if (o.query && typeof o.query === "object") {
    const q = require("querystring").stringify(o.query);
    if (q) s += `?${q}`;
  }
  if (o.hash) s += o.hash;
  return s;
}
function resolve(from, to) {
  return new URL(to, new URL(from, "resolve://")).href.replace(
    /^resolve:\/\/\/?/,
    from.startsWith("/") ? "/" : "",
  );
}
module.exports = {
  URL,
  URLSearchParams,
  fileURLToPath,
  pathToFileURL,
  parse,
  format,
  resolve,
  domainToASCII: (d) => d.toLowerCase(),
  domainToUnicode: (d) => d,
  urlToHttpOptions: (u) => ({
    protocol: u.protocol,
    hostname: u.hostname,
    port: u.port,
    path: u.pathname + u.search,
  }),
};
