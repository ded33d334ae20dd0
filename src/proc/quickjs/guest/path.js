// node:path — POSIX paths (path.win32 is the same object: the VM is Linux).

function assertPath(p, name = "path") {
  if (typeof p !== "string") {
    const e = new TypeError(
      `The "${name}" argument must be of type string. Received ${p === null ? "null" : typeof p}`,
    );
    e.code = "ERR_INVALID_ARG_TYPE";
    throw e;
  }
}

function normalizeString(path, allowAboveRoot) {
  const out = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length && out[out.length - 1] !== "..") out.pop();
      else if (allowAboveRoot) out.push("..");
    } else out.push(part);
  }
  return out.join("/");
}

const path = {
  sep: "/",
  delimiter: ":",
  resolve(...args) {
    let resolved = "";
    let abs = false;
    for (let i = args.length - 1; i >= -1 && !abs; i--) {
      const p = i >= 0 ? args[i] : process.cwd();
      assertPath(p, `paths[${i}]`);
      if (p === "") continue;
      resolved = `${p}/${resolved}`;
      abs = p.startsWith("/");
    }
    resolved = normalizeString(resolved, !abs);
    return abs ? `/${resolved}` : resolved || ".";
  },
  normalize(p) {
    assertPath(p);
    if (p === "") return ".";
    const abs = p.startsWith("/");
    const trailing = p.endsWith("/");
    let out = normalizeString(p, !abs);
    if (out === "" && !abs) out = ".";
    if (out !== "" && trailing) out += "/";
    return abs ? `/${out}` : out;
  },
  isAbsolute(p) {
    assertPath(p);
    return p.startsWith("/");
  },
  join(...args) {
    if (args.length === 0) return ".";
    for (const a of args) assertPath(a);
    const joined = args.filter((a) => a !== "").join("/");
    return joined === "" ? "." : path.normalize(joined);
  },
  relative(from, to) {
    assertPath(from, "from");
    assertPath(to, "to");
    if (from === to) return "";
    from = path.resolve(from);
    to = path.resolve(to);
    if (from === to) return "";
    const f = from.split("/").filter(Boolean);
    const t = to.split("/").filter(Boolean);
    let i = 0;
    while (i < f.length && i < t.length && f[i] === t[i]) i++;
    return [...Array(f.length - i).fill(".."), ...t.slice(i)].join("/");
  },
  dirname(p) {
    assertPath(p);
    if (p === "") return ".";
    const abs = p.startsWith("/");
    let end = p.length;
    while (end > 1 && p[end - 1] === "/") end--;
    const i = p.lastIndexOf("/", end - 1);
    if (i === -1) return abs ? "/" : ".";
    if (i === 0) return "/";
    let d = p.slice(0, i);
    while (d.length > 1 && d.endsWith("/")) d = d.slice(0, -1);
    return d;
  },
  basename(p, ext) {
    assertPath(p);
    let end = p.length;
    while (end > 0 && p[end - 1] === "/") end--;
    if (end === 0) return "";
    const start = p.lastIndexOf("/", end - 1) + 1;
    let base = p.slice(start, end);
    if (ext !== undefined && base.endsWith(ext) && base !== ext)
      base = base.slice(0, base.length - ext.length);
    return base;
  },
  extname(p) {
    assertPath(p);
    const base = path.basename(p);
    const i = base.lastIndexOf(".");
    if (i <= 0) return "";
    return base.slice(i);
  },
  parse(p) {
    assertPath(p);
    const root = p.startsWith("/") ? "/" : "";
    const base = path.basename(p);
    const ext = path.extname(p);
    let dir = path.dirname(p);
    if (dir === "." && !p.startsWith(".") && !p.includes("/")) dir = "";
    return { root, dir, base, ext, name: ext ? base.slice(0, base.length - ext.length) : base };
  },
  format(o) {
    const dir = o.dir || o.root || "";
    const base = o.base || `${o.name || ""}${o.ext ? (o.ext.startsWith(".") ? "" : ".") + o.ext : ""}`;
    if (!dir) return base;
    return dir === o.root ? `${dir}${base}` : `${dir}/${base}`;
  },
  toNamespacedPath: (p) => p,
  matchesGlob(p, pattern) {
    const re = new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*\*\/?/g, "\u0000")
        .replace(/\*/g, "[^/]*")
        .replace(/\?/g, "[^/]")
        .replace(/\u0000/g, ".*")}$`,
    );
    return re.test(p);
  },
};
path.posix = path;
path.win32 = path;
module.exports = path;
