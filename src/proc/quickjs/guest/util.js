// node:util — format, inspect (Node's layout rules), promisify, inherits, types, TextEncoder/Decoder.

const internal = require("internal");
const { host } = internal;

const kCustom = Symbol.for("nodejs.util.inspect.custom");
const kPromisify = Symbol.for("nodejs.util.promisify.custom");
const defaults = {
  depth: 2,
  breakLength: 80,
  compact: 3,
  maxArrayLength: 100,
  maxStringLength: 10000,
  showHidden: false,
  colors: false,
  sorted: false,
  getters: false,
};

const IDENT = /^[a-zA-Z_][a-zA-Z_0-9]*$/;
const errorToString = Error.prototype.toString;

function strEscape(s) {
  let quote = "'";
  if (s.includes("'")) {
    if (!s.includes('"')) quote = '"';
    else if (!s.includes("`") && !s.includes("${")) quote = "`";
  }
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const code = s.charCodeAt(i);
    if (c === quote || c === "\\") out += `\\${c}`;
    else if (c === "\n") out += "\\n";
    else if (c === "\t") out += "\\t";
    else if (c === "\r") out += "\\r";
    else if (c === "\b") out += "\\b";
    else if (c === "\f") out += "\\f";
    else if (c === "\v") out += "\\v";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0").toUpperCase()}`;
    else out += c;
  }
  return quote + out + quote;
}

function getCtorName(obj) {
  let o = obj;
  while (o !== null) {
    const d = Object.getOwnPropertyDescriptor(o, "constructor");
    if (d !== undefined && typeof d.value === "function" && d.value.name !== "") return d.value.name;
    o = Object.getPrototypeOf(o);
  }
  return null;
}

function formatNumber(n) {
  if (Object.is(n, -0)) return "-0";
  return String(n);
}

function formatPrimitive(v, ctx) {
  switch (typeof v) {
    case "string": {
      let s = v;
      let trailer = "";
      if (s.length > ctx.maxStringLength) {
        trailer = `... ${s.length - ctx.maxStringLength} more character${s.length - ctx.maxStringLength > 1 ? "s" : ""}`;
        s = s.slice(0, ctx.maxStringLength);
      }
      return strEscape(s) + trailer;
    }
    case "number":
      return formatNumber(v);
    case "bigint":
      return `${v}n`;
    case "boolean":
      return String(v);
    case "undefined":
      return "undefined";
    case "symbol":
      return v.toString();
  }
  return String(v);
}

function isBelowBreakLength(ctx, output, start, base) {
  let total = output.length + start;
  if (total + output.length > ctx.breakLength) return false;
  for (const o of output) {
    total += o.length;
    if (total > ctx.breakLength) return false;
  }
  return base === "" || !base.includes("\n");
}

function groupArrayElements(ctx, output, value) {
  let totalLength = 0;
  let maxLength = 0;
  let outputLength = output.length;
  if (ctx.extraItems) outputLength--;
  const separatorSpace = 2;
  const dataLen = new Array(outputLength);
  for (let i = 0; i < outputLength; i++) {
    const len = output[i].length;
    dataLen[i] = len;
    totalLength += len + separatorSpace;
    if (maxLength < len) maxLength = len;
  }
  const actualMax = maxLength + separatorSpace;
  if (
    actualMax * 3 + ctx.indentationLvl < ctx.breakLength &&
    (totalLength / actualMax > 5 || maxLength <= 6)
  ) {
    const averageBias = Math.sqrt(actualMax - totalLength / output.length);
    const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
    const columns = Math.min(
      Math.round(Math.sqrt(2.5 * biasedMax * outputLength) / biasedMax),
      Math.floor((ctx.breakLength - ctx.indentationLvl) / actualMax),
      ctx.compact * 4,
      15,
    );
    if (columns <= 1) return output;
    const tmp = [];
    const maxLineLength = [];
    for (let i = 0; i < columns; i++) {
      let lineLength = 0;
      for (let j = i; j < output.length; j += columns) if (dataLen[j] > lineLength) lineLength = dataLen[j];
      maxLineLength.push(lineLength + separatorSpace);
    }
    let padStart = true;
    if (value !== undefined) {
      for (let i = 0; i < output.length; i++) {
        if (typeof value[i] !== "number" && typeof value[i] !== "bigint") {
          padStart = false;
          break;
        }
      }
    }
    for (let i = 0; i < outputLength; i += columns) {
      const max = Math.min(i + columns, outputLength);
      let str = "";
      let j = i;
      for (; j < max - 1; j++) {
        const padding = maxLineLength[j - i];
        str += padStart ? `${output[j]}, `.padStart(padding, " ") : `${output[j]}, `.padEnd(padding, " ");
      }
      if (padStart) str += output[j].padStart(maxLineLength[j - i] - separatorSpace, " ");
      else str += output[j];
      tmp.push(str);
    }
    if (ctx.extraItems) tmp.push(output[outputLength]);
    output = tmp;
  }
  return output;
}

function reduceToSingleString(ctx, output, base, braces, isArrayType, recurseTimes, value) {
  if (ctx.compact !== true) {
    if (typeof ctx.compact === "number" && ctx.compact >= 1) {
      const entries = output.length;
      if (isArrayType && entries > 6) output = groupArrayElements(ctx, output, value);
      if (ctx.currentDepth - recurseTimes < ctx.compact && entries === output.length) {
        const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
        if (isBelowBreakLength(ctx, output, start, base)) {
          const joined = output.join(", ");
          if (!joined.includes("\n")) return `${base ? `${base} ` : ""}${braces[0]} ${joined} ${braces[1]}`;
        }
      }
    }
    const ind = `\n${" ".repeat(ctx.indentationLvl)}`;
    return `${base ? `${base} ` : ""}${braces[0]}${ind}  ${output.join(`,${ind}  `)}${ind}${braces[1]}`;
  }
  if (isBelowBreakLength(ctx, output, 0, base))
    return `${braces[0]}${base ? ` ${base}` : ""} ${output.join(", ")} ${braces[1]}`;
  const ind = " ".repeat(ctx.indentationLvl);
  return `${base ? `${base} ` : ""}${braces[0]}\n${ind}  ${output.join(`,\n${ind}  `)}\n${ind}${braces[1]}`;
}

function formatKey(key) {
  if (typeof key === "symbol") return `[${key.toString()}]`;
  if (IDENT.test(key)) return key;
  return strEscape(key);
}

function formatProperty(ctx, value, recurseTimes, key, isArrayItem) {
  const desc = Object.getOwnPropertyDescriptor(value, key) || { value: value[key], enumerable: true };
  let str;
  if (desc.value !== undefined || !("get" in desc)) {
    ctx.indentationLvl += 2;
    str = formatValue(ctx, desc.value, recurseTimes);
    ctx.indentationLvl -= 2;
  } else if (desc.get !== undefined) {
    str = desc.set !== undefined ? "[Getter/Setter]" : "[Getter]";
  } else str = desc.set !== undefined ? "[Setter]" : "undefined";
  if (isArrayItem) return str;
  const name = formatKey(key);
  return `${desc.enumerable === false ? `[${name}]` : name}: ${str}`;
}

function formatError(err, ctx) {
  let stack;
  try {
    internal.withHeader(err);
    stack = typeof err.stack === "string" ? err.stack : errorToString.call(err);
  } catch {
    stack = "[Error]";
  }
  stack = stack.replace(/\n$/, "");
  if (ctx.indentationLvl) stack = stack.replace(/\n/g, `\n${" ".repeat(ctx.indentationLvl)}`);
  return stack;
}

function isError(v) {
  return v instanceof Error || Object.prototype.toString.call(v) === "[object Error]";
}

function typedArrayName(v) {
  return Object.prototype.toString.call(v).slice(8, -1);
}

function formatValue(ctx, value, recurseTimes, typedArray) {
  if (value === null) return "null";
  if (typeof value !== "object" && typeof value !== "function") return formatPrimitive(value, ctx);
  if (ctx.customInspect !== false) {
    const custom = value[kCustom];
    if (typeof custom === "function" && custom !== inspect) {
      const depth = ctx.depth === null ? null : ctx.depth - recurseTimes;
      const r = custom.call(value, depth, { ...ctx, stylize: (s) => s }, inspect);
      if (r !== value) {
        if (typeof r !== "string") return formatValue(ctx, r, recurseTimes);
        return r.replace(/\n/g, `\n${" ".repeat(ctx.indentationLvl)}`);
      }
    }
  }
  if (ctx.seen.includes(value)) {
    let index = 1;
    if (ctx.circular === undefined) {
      ctx.circular = new Map();
      ctx.circular.set(value, index);
    } else {
      index = ctx.circular.get(value);
      if (index === undefined) {
        index = ctx.circular.size + 1;
        ctx.circular.set(value, index);
      }
    }
    return `[Circular *${index}]`;
  }
  return formatRaw(ctx, value, recurseTimes, typedArray);
}

function formatRaw(ctx, value, recurseTimes) {
  let keys = Object.keys(value);
  if (ctx.showHidden) keys = Object.getOwnPropertyNames(value);
  const symbols = Object.getOwnPropertySymbols(value).filter(
    (s) => ctx.showHidden || Object.prototype.propertyIsEnumerable.call(value, s),
  );
  const ctor = getCtorName(value);
  let base = "";
  let braces;
  let isArrayType = false;
  let formatter = null;
  let extrasKeys = keys;
  const prefix = (fallback, size) => {
    const name = ctor === null ? `[${fallback}: null prototype]` : ctor;
    const tag = value[Symbol.toStringTag];
    const withTag = typeof tag === "string" && tag !== "" && tag !== name ? `${name} [${tag}]` : name;
    return `${withTag}${size !== undefined ? `(${size})` : ""} `;
  };
  if (Array.isArray(value)) {
    const p = ctor === "Array" ? "" : prefix("Array", value.length);
    braces = [`${p}[`, "]"];
    isArrayType = true;
    extrasKeys = keys.filter((k) => !/^(0|[1-9][0-9]*)$/.test(k) || Number(k) >= value.length);
    if (value.length === 0 && extrasKeys.length === 0 && symbols.length === 0) return `${braces[0]}]`;
    formatter = () => formatArrayLike(ctx, value, recurseTimes);
  } else if (typeof value === "function") {
    base = formatFunction(value, ctor);
    if (keys.length === 0 && symbols.length === 0) return base;
    braces = ["{", "}"];
  } else if (value instanceof Map) {
    braces = [`${prefix("Map", value.size)}{`, "}"];
    if (value.size === 0 && keys.length === 0) return `${braces[0]}}`;
    formatter = () => {
      const out = [];
      ctx.indentationLvl += 2;
      for (const [k, v] of value)
        out.push(`${formatValue(ctx, k, recurseTimes)} => ${formatValue(ctx, v, recurseTimes)}`);
      ctx.indentationLvl -= 2;
      return out;
    };
  } else if (value instanceof Set) {
    braces = [`${prefix("Set", value.size)}{`, "}"];
    if (value.size === 0 && keys.length === 0) return `${braces[0]}}`;
    isArrayType = false;
    formatter = () => {
      const out = [];
      ctx.indentationLvl += 2;
      for (const v of value) out.push(formatValue(ctx, v, recurseTimes));
      ctx.indentationLvl -= 2;
      return out;
    };
  } else if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const name = typedArrayName(value);
    const Buf = globalThis.Buffer;
    if (Buf && value instanceof Buf && value[kCustom] === undefined) {
      // handled by Buffer's custom inspect normally
    }
    braces = [`${ctor === name ? name : prefix(name)}(${value.length}) [`, "]"];
    isArrayType = true;
    extrasKeys = keys.filter((k) => !/^(0|[1-9][0-9]*)$/.test(k));
    if (value.length === 0 && extrasKeys.length === 0) return `${braces[0]}]`;
    formatter = () => {
      const out = [];
      const max = Math.min(ctx.maxArrayLength, value.length);
      for (let i = 0; i < max; i++)
        out.push(typeof value[i] === "bigint" ? `${value[i]}n` : formatNumber(value[i]));
      if (value.length > max) {
        out.push(`... ${value.length - max} more item${value.length - max > 1 ? "s" : ""}`);
        ctx.extraItems = true;
      }
      return out;
    };
  } else if (value instanceof ArrayBuffer) {
    const bytes = new Uint8Array(value);
    const hex = [];
    for (let i = 0; i < Math.min(50, bytes.length); i++) hex.push(bytes[i].toString(16).padStart(2, "0"));
    return `ArrayBuffer { [Uint8Contents]: <${hex.join(" ")}${bytes.length > 50 ? ` ... ${bytes.length - 50} more bytes` : ""}>, byteLength: ${bytes.length} }`;
  } else if (value instanceof Date) {
    base = Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
    if (keys.length === 0 && symbols.length === 0) return base;
    braces = ["{", "}"];
  } else if (value instanceof RegExp) {
    base = RegExp.prototype.toString.call(value);
    if (keys.length === 0 && symbols.length === 0) return base;
    braces = ["{", "}"];
  } else if (isError(value)) {
    base = formatError(value, ctx);
    keys = keys.filter((k) => k !== "stack" && k !== "message");
    extrasKeys = keys;
    if (keys.length === 0 && symbols.length === 0) return base;
    braces = ["{", "}"];
  } else if (value instanceof Promise) {
    braces = [`${prefix("Promise")}{`, "}"];
    formatter = () => ["<pending>"];
  } else if (value instanceof WeakMap || value instanceof WeakSet) {
    return `${prefix(value instanceof WeakMap ? "WeakMap" : "WeakSet")}{ <items unknown> }`;
  } else if (
    typeof value.next === "function" &&
    value[Symbol.toStringTag] &&
    /Iterator/.test(value[Symbol.toStringTag])
  ) {
    braces = [`Object [${value[Symbol.toStringTag]}] {`, "}"];
  } else if (value instanceof Number || value instanceof String || value instanceof Boolean) {
    const t = value instanceof Number ? "Number" : value instanceof String ? "String" : "Boolean";
    base = `[${t}: ${formatPrimitive(value.valueOf(), ctx)}]`;
    if (value instanceof String) extrasKeys = keys = keys.filter((k) => !/^\d+$/.test(k));
    if (keys.length === 0 && symbols.length === 0) return base;
    braces = ["{", "}"];
  } else {
    if (ctor === "Object") {
      const tag = value[Symbol.toStringTag];
      braces = [typeof tag === "string" && tag !== "" ? `Object [${tag}] {` : "{", "}"];
    } else if (ctor === null) braces = ["[Object: null prototype] {", "}"];
    else braces = [`${prefix("Object")}{`, "}"];
    if (keys.length === 0 && symbols.length === 0) {
      return `${braces[0]}}`;
    }
  }
  if (recurseTimes > ctx.depth && ctx.depth !== null) {
    const name = ctor === null ? "Object: null prototype" : ctor || "Object";
    return Array.isArray(value) ? "[Array]" : `[${name}]`;
  }
  recurseTimes += 1;
  ctx.seen.push(value);
  ctx.currentDepth = recurseTimes;
  let output;
  const savedExtra = ctx.extraItems;
  ctx.extraItems = false;
  try {
    output = formatter ? formatter() : [];
    for (const k of extrasKeys) output.push(formatProperty(ctx, value, recurseTimes, k, false));
    for (const s of symbols) output.push(formatProperty(ctx, value, recurseTimes, s, false));
  } finally {
    ctx.seen.pop();
  }
  if (ctx.circular !== undefined) {
    const index = ctx.circular.get(value);
    if (index !== undefined) {
      const ref = `<ref *${index}>`;
      if (base === "") braces[0] = `${ref} ${braces[0]}`;
      else base = `${ref} ${base}`;
    }
  }
  if (ctx.sorted) output.sort();
  const res = reduceToSingleString(ctx, output, base, braces, isArrayType, recurseTimes, value);
  ctx.extraItems = savedExtra;
  return res;
}

function formatArrayLike(ctx, value, recurseTimes) {
  const out = [];
  const max = Math.min(ctx.maxArrayLength, value.length);
  let holes = 0;
  for (let i = 0; i < max; i++) {
    if (!Object.hasOwn(value, i)) {
      holes++;
      continue;
    }
    if (holes) {
      out.push(`<${holes} empty item${holes > 1 ? "s" : ""}>`);
      holes = 0;
    }
    out.push(formatProperty(ctx, value, recurseTimes, i, true));
  }
  if (holes) out.push(`<${holes} empty item${holes > 1 ? "s" : ""}>`);
  if (value.length > max) {
    out.push(`... ${value.length - max} more item${value.length - max > 1 ? "s" : ""}`);
    ctx.extraItems = true;
  }
  return out;
}

function formatFunction(fn, ctor) {
  let src = "";
  try {
    src = Function.prototype.toString.call(fn);
  } catch {}
  if (src.startsWith("class") && /^class\s*[\w$]*\s*[{e]/.test(src)) {
    let s = `[class ${fn.name || "(anonymous)"}`;
    const sup = Object.getPrototypeOf(fn);
    if (sup && sup.name) s += ` extends ${sup.name}`;
    return `${s}]`;
  }
  let type = "Function";
  if (ctor === "AsyncFunction") type = "AsyncFunction";
  else if (ctor === "GeneratorFunction") type = "GeneratorFunction";
  else if (ctor === "AsyncGeneratorFunction") type = "AsyncGeneratorFunction";
  let base = `[${type}`;
  base += fn.name ? `: ${fn.name}]` : " (anonymous)]";
  if (ctor === null) base += " [null prototype]";
  return base;
}

function inspect(value, opts) {
  const ctx = {
    ...defaults,
    seen: [],
    indentationLvl: 0,
    currentDepth: 0,
    circular: undefined,
    extraItems: false,
  };
  if (typeof opts === "boolean") ctx.showHidden = opts;
  else if (opts) {
    for (const k of Object.keys(opts)) if (k in defaults || k === "customInspect") ctx[k] = opts[k];
  }
  if (arguments.length > 2 && arguments[2] !== undefined) ctx.depth = arguments[2];
  if (ctx.depth === Number.POSITIVE_INFINITY) ctx.depth = null;
  if (ctx.maxArrayLength === null) ctx.maxArrayLength = Number.POSITIVE_INFINITY;
  if (ctx.maxStringLength === null) ctx.maxStringLength = Number.POSITIVE_INFINITY;
  if (ctx.breakLength === null) ctx.breakLength = Number.POSITIVE_INFINITY;
  return formatValue(ctx, value, 0);
}
inspect.custom = kCustom;
inspect.defaultOptions = defaults;
inspect.colors = {};
inspect.styles = {};

function formatWithOptions(opts, ...args) {
  const first = args[0];
  let a = 0;
  let str = "";
  let join = "";
  if (typeof first === "string") {
    if (args.length === 1) return first;
    let tempStr;
    let lastPos = 0;
    for (let i = 0; i < first.length - 1; i++) {
      if (first.charCodeAt(i) === 37) {
        const c = first[i + 1];
        if (a + 1 !== args.length) {
          switch (c) {
            case "s": {
              const arg = args[++a];
              if (typeof arg === "number") tempStr = formatNumber(arg);
              else if (typeof arg === "bigint") tempStr = `${arg}n`;
              else if (typeof arg !== "object" || arg === null) tempStr = String(arg);
              else tempStr = inspect(arg, { ...opts, depth: 0, colors: false, compact: 3 });
              break;
            }
            case "j":
              try {
                tempStr = JSON.stringify(args[++a]);
              } catch {
                tempStr = "[Circular]";
              }
              break;
            case "d": {
              const n = args[++a];
              tempStr =
                typeof n === "bigint" ? `${n}n` : typeof n === "symbol" ? "NaN" : formatNumber(Number(n));
              break;
            }
            case "O":
              tempStr = inspect(args[++a], opts);
              break;
            case "o":
              tempStr = inspect(args[++a], { ...opts, showHidden: true, showProxy: true, depth: 4 });
              break;
            case "i": {
              const n = args[++a];
              tempStr =
                typeof n === "bigint"
                  ? `${n}n`
                  : typeof n === "symbol"
                    ? "NaN"
                    : formatNumber(Number.parseInt(n));
              break;
            }
            case "f": {
              const n = args[++a];
              tempStr = typeof n === "symbol" ? "NaN" : formatNumber(Number.parseFloat(n));
              break;
            }
            case "c":
              a++;
              tempStr = "";
              break;
            case "%":
              str += first.slice(lastPos, i);
              lastPos = i + 1;
              continue;
            default:
              continue;
          }
          if (lastPos !== i) str += first.slice(lastPos, i);
          str += tempStr;
          lastPos = i + 2;
          i++;
        } else if (c === "%") {
          str += first.slice(lastPos, i);
          lastPos = i + 1;
        }
      }
    }
    if (lastPos !== 0) {
      a++;
      join = " ";
      if (lastPos < first.length) str += first.slice(lastPos);
    }
  }
  while (a < args.length) {
    const v = args[a];
    str += join;
    str += typeof v !== "string" ? inspect(v, opts) : v;
    join = " ";
    a++;
  }
  return str;
}
function format(...args) {
  return formatWithOptions(undefined, ...args);
}

function promisify(original) {
  if (typeof original !== "function") {
    const e = new TypeError('The "original" argument must be of type function');
    e.code = "ERR_INVALID_ARG_TYPE";
    throw e;
  }
  if (original[kPromisify]) return original[kPromisify];
  function fn(...args) {
    return new Promise((resolve, reject) => {
      original.call(this, ...args, (err, ...values) => {
        if (err) return reject(err);
        resolve(values.length > 1 && original.__promisifyMulti ? values : values[0]);
      });
    });
  }
  Object.setPrototypeOf(fn, Object.getPrototypeOf(original));
  Object.defineProperty(fn, kPromisify, { value: fn });
  return Object.defineProperties(fn, Object.getOwnPropertyDescriptors(original));
}
promisify.custom = kPromisify;

function callbackify(original) {
  return function (...args) {
    const cb = args.pop();
    original.apply(this, args).then(
      (v) => process.nextTick(cb, null, v),
      (e) => process.nextTick(cb, e || new Error("Promise was rejected with a falsy value")),
    );
  };
}

function inherits(ctor, superCtor) {
  Object.defineProperty(ctor, "super_", { value: superCtor, writable: true, configurable: true });
  Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
}

const warned = new Set();
function deprecate(fn, msg, code) {
  return function (...args) {
    if (!warned.has(code || msg)) {
      warned.add(code || msg);
      process.emitWarning(msg, "DeprecationWarning");
    }
    return new.target ? Reflect.construct(fn, args, new.target) : fn.apply(this, args);
  };
}

function isDeepStrictEqual(a, b) {
  return deepEqual(a, b, true, new Map());
}
function deepEqual(a, b, strict, memo) {
  if (strict ? Object.is(a, b) : a == b || (a !== a && b !== b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return false;
  }
  if (strict && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const tagA = Object.prototype.toString.call(a);
  if (tagA !== Object.prototype.toString.call(b)) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (a instanceof Date) {
    if (a.getTime() !== b.getTime()) return false;
  } else if (a instanceof RegExp) {
    if (String(a) !== String(b) || a.lastIndex !== b.lastIndex) return false;
  } else if (isError(a)) {
    if (a.message !== b.message || a.name !== b.name) return false;
  } else if (ArrayBuffer.isView(a)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
    if (!(a instanceof DataView)) return true;
  } else if (a instanceof Number || a instanceof String || a instanceof Boolean) {
    if (!Object.is(a.valueOf(), b.valueOf())) return false;
  }
  const seen = memo.get(a);
  if (seen === b) return true;
  memo.set(a, b);
  if (a instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) {
      if (!b.has(k)) return false;
      if (!deepEqual(v, b.get(k), strict, memo)) return false;
    }
  } else if (a instanceof Set) {
    if (a.size !== b.size) return false;
    outer: for (const v of a) {
      if (b.has(v)) continue;
      if (typeof v === "object" && v !== null) {
        for (const w of b) if (deepEqual(v, w, strict, memo)) continue outer;
      }
      return false;
    }
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k)) return false;
    if (!deepEqual(a[k], b[k], strict, memo)) return false;
  }
  if (strict) {
    const sa = Object.getOwnPropertySymbols(a).filter((s) =>
      Object.prototype.propertyIsEnumerable.call(a, s),
    );
    const sb = Object.getOwnPropertySymbols(b).filter((s) =>
      Object.prototype.propertyIsEnumerable.call(b, s),
    );
    if (sa.length !== sb.length) return false;
    for (const s of sa) if (!deepEqual(a[s], b[s], strict, memo)) return false;
  }
  return true;
}

// ---- encoding ---------------------------------------------------------------------------------
class TextEncoder {
  get encoding() {
    return "utf-8";
  }
  encode(s = "") {
    return new Uint8Array(host.encode(String(s), "utf8"));
  }
  encodeInto(s, dest) {
    const b = this.encode(s);
    const n = Math.min(b.length, dest.length);
    dest.set(b.subarray(0, n));
    return { read: s.length, written: n };
  }
}
class TextDecoder {
  constructor(encoding = "utf-8", options = {}) {
    const e = String(encoding).toLowerCase();
    const map = {
      "utf-8": "utf8",
      utf8: "utf8",
      "utf-16le": "utf16le",
      latin1: "latin1",
      ascii: "latin1",
      "iso-8859-1": "latin1",
    };
    if (!map[e]) {
      const err = new RangeError(`The "${encoding}" encoding is not supported`);
      err.code = "ERR_ENCODING_NOT_SUPPORTED";
      throw err;
    }
    this._enc = map[e];
    this.encoding = e === "utf8" ? "utf-8" : e;
    this.fatal = !!options.fatal;
    this.ignoreBOM = !!options.ignoreBOM;
    this._pending = null;
  }
  decode(input, options = {}) {
    let bytes =
      input === undefined
        ? new Uint8Array(0)
        : ArrayBuffer.isView(input)
          ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
          : new Uint8Array(input);
    if (this._pending) {
      const merged = new Uint8Array(this._pending.length + bytes.length);
      merged.set(this._pending);
      merged.set(bytes, this._pending.length);
      bytes = merged;
      this._pending = null;
    }
    if (options.stream && this._enc === "utf8") {
      let cut = bytes.length;
      for (let i = Math.max(0, bytes.length - 3); i < bytes.length; i++) {
        const b = bytes[i];
        const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
        if (need > 1 && i + need > bytes.length) {
          cut = i;
          break;
        }
      }
      if (cut < bytes.length) {
        this._pending = bytes.slice(cut);
        bytes = bytes.subarray(0, cut);
      }
    }
    let s = host.decode(internal.toAB(bytes), this._enc);
    if (!this.ignoreBOM && s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    if (this.fatal && s.includes("\ufffd")) {
      const err = new TypeError("The encoded data was not valid for encoding utf-8");
      err.code = "ERR_ENCODING_INVALID_ENCODED_DATA";
      throw err;
    }
    return s;
  }
}

function structuredClone(value, memo = new Map()) {
  if (typeof value !== "object" || value === null) {
    if (typeof value === "function" || typeof value === "symbol") {
      const e = new Error(
        `${typeof value === "function" ? value.toString().slice(0, 40) : String(value)} could not be cloned.`,
      );
      e.name = "DataCloneError";
      e.code = 25;
      throw e;
    }
    return value;
  }
  if (memo.has(value)) return memo.get(value);
  let out;
  if (value instanceof Date) out = new Date(value.getTime());
  else if (value instanceof RegExp) out = new RegExp(value.source, value.flags);
  else if (value instanceof Map) {
    out = new Map();
    memo.set(value, out);
    for (const [k, v] of value) out.set(structuredClone(k, memo), structuredClone(v, memo));
    return out;
  } else if (value instanceof Set) {
    out = new Set();
    memo.set(value, out);
    for (const v of value) out.add(structuredClone(v, memo));
    return out;
  } else if (value instanceof ArrayBuffer) out = value.slice(0);
  else if (ArrayBuffer.isView(value)) {
    const C = Object.getPrototypeOf(Uint8Array.prototype).constructor;
    out =
      value instanceof C
        ? new (globalThis[typedArrayName(value)] || Uint8Array)(value)
        : new DataView(value.buffer.slice(0));
  } else if (isError(value)) {
    const C = globalThis[value.name] || Error;
    out = new C(value.message);
    out.stack = value.stack;
  } else if (Array.isArray(value)) {
    out = [];
    memo.set(value, out);
    for (let i = 0; i < value.length; i++) out[i] = structuredClone(value[i], memo);
    return out;
  } else {
    out = {};
    memo.set(value, out);
    for (const k of Object.keys(value)) out[k] = structuredClone(value[k], memo);
    return out;
  }
  memo.set(value, out);
  return out;
}

const types = {
  isDate: (v) => v instanceof Date,
  isRegExp: (v) => v instanceof RegExp,
  isMap: (v) => v instanceof Map,
  isSet: (v) => v instanceof Set,
  isWeakMap: (v) => v instanceof WeakMap,
  isWeakSet: (v) => v instanceof WeakSet,
  isPromise: (v) => v instanceof Promise,
  isNativeError: isError,
  isTypedArray: (v) => ArrayBuffer.isView(v) && !(v instanceof DataView),
  isUint8Array: (v) => v instanceof Uint8Array,
  isArrayBuffer: (v) => v instanceof ArrayBuffer,
  isAnyArrayBuffer: (v) =>
    v instanceof ArrayBuffer || (typeof SharedArrayBuffer !== "undefined" && v instanceof SharedArrayBuffer),
  isArrayBufferView: (v) => ArrayBuffer.isView(v),
  isDataView: (v) => v instanceof DataView,
  isAsyncFunction: (v) => typeof v === "function" && getCtorName(v) === "AsyncFunction",
  isGeneratorFunction: (v) => typeof v === "function" && /GeneratorFunction/.test(getCtorName(v) || ""),
  isGeneratorObject: (v) => Object.prototype.toString.call(v) === "[object Generator]",
  isBoxedPrimitive: (v) => v instanceof Number || v instanceof String || v instanceof Boolean,
  isProxy: () => false,
  isSymbolObject: (v) => typeof v === "object" && v instanceof Symbol,
};

module.exports = {
  format,
  formatWithOptions,
  inspect,
  promisify,
  callbackify,
  inherits,
  deprecate,
  isDeepStrictEqual,
  types,
  TextEncoder,
  TextDecoder,
  isArray: Array.isArray,
  isBoolean: (v) => typeof v === "boolean",
  isNull: (v) => v === null,
  isNullOrUndefined: (v) => v == null,
  isNumber: (v) => typeof v === "number",
  isString: (v) => typeof v === "string",
  isSymbol: (v) => typeof v === "symbol",
  isUndefined: (v) => v === undefined,
  isRegExp: types.isRegExp,
  isObject: (v) => v !== null && typeof v === "object",
  isDate: types.isDate,
  isError,
  isFunction: (v) => typeof v === "function",
  isPrimitive: (v) => v === null || (typeof v !== "object" && typeof v !== "function"),
  stripVTControlCharacters: (s) => String(s).replace(/\u001b\[[0-9;]*[A-Za-z]/g, ""),
  toUSVString: (s) => String(s).toWellFormed(),
  debuglog: () => Object.assign(() => {}, { enabled: false }),
  debug: () => Object.assign(() => {}, { enabled: false }),
  styleText: (_f, s) => s,
  parseArgs: (...a) => require("internal").requireBuiltin("util/parse_args")(...a),
  getSystemErrorName: (n) => {
    for (const v of Object.values(internal.ERRNO)) if (-v[1] === n) return v[0];
    return `Unknown system error ${n}`;
  },
  aborted: (signal) => new Promise((r) => signal.addEventListener("abort", r, { once: true })),
  _structuredClone: (v) => structuredClone(v),
  _deepEqual: deepEqual,
};
