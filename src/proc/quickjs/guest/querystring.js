// node:querystring

function esc(s) {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
function unesc(s) {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s;
  }
}
function stringify(obj, sep = "&", eq = "=") {
  if (!obj || typeof obj !== "object") return "";
  const str = (v) =>
    typeof v === "string"
      ? v
      : typeof v === "number" && Number.isFinite(v)
        ? String(v)
        : typeof v === "boolean" || typeof v === "bigint"
          ? String(v)
          : "";
  return Object.keys(obj)
    .map((k) =>
      Array.isArray(obj[k])
        ? obj[k].map((v) => `${esc(k)}${eq}${esc(str(v))}`).join(sep)
        : `${esc(k)}${eq}${esc(str(obj[k]))}`,
    )
    .filter(Boolean)
    .join(sep);
}
function parse(qs, sep = "&", eq = "=") {
  const out = Object.create(null);
  if (typeof qs !== "string" || qs.length === 0) return out;
  for (const part of qs.split(sep)) {
    if (!part) continue;
    const i = part.indexOf(eq);
    const k = unesc(i >= 0 ? part.slice(0, i) : part);
    const v = i >= 0 ? unesc(part.slice(i + eq.length)) : "";
    if (k in out) out[k] = Array.isArray(out[k]) ? [...out[k], v] : [out[k], v];
    else out[k] = v;
  }
  return out;
}
module.exports = { stringify, parse, encode: stringify, decode: parse, escape: esc, unescape: unesc };
