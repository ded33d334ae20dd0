// node:buffer — Buffer as a Uint8Array subclass; encodings are converted by the host.

const internal = require("internal");
const { host, toAB } = internal;

const ENCODINGS = {
  utf8: "utf8",
  "utf-8": "utf8",
  hex: "hex",
  base64: "base64",
  base64url: "base64url",
  latin1: "latin1",
  binary: "latin1",
  ascii: "ascii",
  ucs2: "utf16le",
  "ucs-2": "utf16le",
  utf16le: "utf16le",
  "utf-16le": "utf16le",
};
function normEnc(enc) {
  if (enc === undefined || enc === null) return "utf8";
  const e = ENCODINGS[String(enc).toLowerCase()];
  if (!e) {
    const err = new TypeError(`Unknown encoding: ${enc}`);
    err.code = "ERR_UNKNOWN_ENCODING";
    throw err;
  }
  return e;
}

class FastBuffer extends Uint8Array {}

function Buffer(arg, encodingOrOffset, length) {
  if (
    arg instanceof ArrayBuffer ||
    (typeof SharedArrayBuffer !== "undefined" && arg instanceof SharedArrayBuffer)
  ) {
    return new FastBuffer(arg, encodingOrOffset, length);
  }
  if (typeof arg === "number") return Buffer.alloc(arg);
  return Buffer.from(arg, encodingOrOffset, length);
}
Buffer.prototype = FastBuffer.prototype;
Object.defineProperty(FastBuffer.prototype, "constructor", {
  value: Buffer,
  writable: true,
  configurable: true,
});
Object.setPrototypeOf(Buffer, Uint8Array);
Buffer.poolSize = 8192;

function fromAB(ab) {
  return new FastBuffer(ab);
}

function invalidArg(name, value) {
  const e = new TypeError(
    `The first argument must be of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object. Received ${value === null ? "null" : typeof value}`,
  );
  e.code = "ERR_INVALID_ARG_TYPE";
  return e;
}

Buffer.from = (value, encodingOrOffset, length) => {
  if (typeof value === "string") return fromAB(host.encode(value, normEnc(encodingOrOffset)));
  if (
    value instanceof ArrayBuffer ||
    (typeof SharedArrayBuffer !== "undefined" && value instanceof SharedArrayBuffer)
  ) {
    const off = encodingOrOffset === undefined ? 0 : Number(encodingOrOffset);
    const len = length === undefined ? value.byteLength - off : Number(length);
    return new FastBuffer(value, off, len);
  }
  if (ArrayBuffer.isView(value)) {
    const b = new FastBuffer(value.length);
    if (value instanceof Uint8Array) b.set(value);
    else for (let i = 0; i < value.length; i++) b[i] = value[i] & 255;
    return b;
  }
  if (value === null || value === undefined) throw invalidArg("value", value);
  if (Array.isArray(value) || typeof value.length === "number") {
    const b = new FastBuffer(value.length);
    for (let i = 0; i < value.length; i++) b[i] = Number(value[i]) & 255;
    return b;
  }
  if (value.type === "Buffer" && Array.isArray(value.data)) return Buffer.from(value.data);
  if (typeof value.valueOf === "function" && value.valueOf() !== value)
    return Buffer.from(value.valueOf(), encodingOrOffset, length);
  if (typeof value[Symbol.toPrimitive] === "function")
    return Buffer.from(value[Symbol.toPrimitive]("string"), encodingOrOffset);
  throw invalidArg("value", value);
};
Buffer.alloc = (size, fill, encoding) => {
  const b = new FastBuffer(checkSize(size));
  if (fill !== undefined && fill !== 0) b.fill(fill, 0, b.length, encoding);
  return b;
};
Buffer.allocUnsafe = (size) => new FastBuffer(checkSize(size));
Buffer.allocUnsafeSlow = Buffer.allocUnsafe;
function checkSize(size) {
  if (typeof size !== "number" || size < 0 || size > 2 ** 31 || Number.isNaN(size)) {
    const e = new RangeError(`The argument 'size' is invalid. Received ${size}`);
    e.code = "ERR_OUT_OF_RANGE";
    throw e;
  }
  return size | 0;
}
Buffer.isBuffer = (b) => b instanceof Buffer;
Buffer.isEncoding = (e) => typeof e === "string" && ENCODINGS[e.toLowerCase()] !== undefined;
Buffer.byteLength = (s, enc) => {
  if (typeof s !== "string") return s.byteLength;
  const e = normEnc(enc);
  if (e === "utf8") {
    let n = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) n += 1;
      else if (c < 0x800) n += 2;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          n += 4;
          i++;
        } else n += 3;
      } else n += 3;
    }
    return n;
  }
  return host.encode(s, e).byteLength;
};
Buffer.concat = (list, totalLength) => {
  if (totalLength === undefined) totalLength = list.reduce((n, b) => n + b.length, 0);
  const out = new FastBuffer(totalLength);
  let pos = 0;
  for (const b of list) {
    if (pos >= totalLength) break;
    const part = b.length + pos > totalLength ? b.subarray(0, totalLength - pos) : b;
    out.set(part, pos);
    pos += part.length;
  }
  return out;
};
Buffer.compare = (a, b) => {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
};

const P = FastBuffer.prototype;
P.toString = function (encoding, start = 0, end = this.length) {
  start = Math.max(0, start | 0);
  end = Math.min(this.length, end === undefined ? this.length : end | 0);
  if (end <= start) return "";
  const view = start === 0 && end === this.length ? this : this.subarray(start, end);
  return host.decode(toAB(view), normEnc(encoding));
};
P.toLocaleString = P.toString;
P.equals = function (other) {
  return Buffer.compare(this, other) === 0;
};
P.compare = function (target, tStart = 0, tEnd = target.length, sStart = 0, sEnd = this.length) {
  return Buffer.compare(this.subarray(sStart, sEnd), target.subarray(tStart, tEnd));
};
P.slice = function (start, end) {
  return this.subarray(start, end);
};
P.write = function (string, offset, length, encoding) {
  if (typeof offset === "string") {
    encoding = offset;
    offset = 0;
    length = undefined;
  } else if (typeof length === "string") {
    encoding = length;
    length = undefined;
  }
  offset = offset >>> 0;
  const bytes = new Uint8Array(host.encode(string, normEnc(encoding)));
  const n = Math.min(
    bytes.length,
    this.length - offset,
    length === undefined ? Number.POSITIVE_INFINITY : length,
  );
  this.set(bytes.subarray(0, n), offset);
  return n;
};
P.copy = function (target, targetStart = 0, sourceStart = 0, sourceEnd = this.length) {
  const n = Math.max(0, Math.min(sourceEnd - sourceStart, target.length - targetStart));
  target.set(this.subarray(sourceStart, sourceStart + n), targetStart);
  return n;
};
const nativeFill = Uint8Array.prototype.fill;
P.fill = function (value, offset = 0, end = this.length, encoding) {
  if (typeof offset === "string") {
    encoding = offset;
    offset = 0;
    end = this.length;
  }
  if (typeof value === "string") {
    const bytes =
      value.length === 1 && value.charCodeAt(0) < 128
        ? [value.charCodeAt(0)]
        : new Uint8Array(host.encode(value, normEnc(encoding)));
    if (bytes.length === 1) return nativeFill.call(this, bytes[0], offset, end);
    if (bytes.length === 0) return nativeFill.call(this, 0, offset, end);
    for (let i = offset, j = 0; i < end; i++, j = (j + 1) % bytes.length) this[i] = bytes[j];
    return this;
  }
  if (ArrayBuffer.isView(value)) {
    for (let i = offset, j = 0; i < end; i++, j = (j + 1) % value.length) this[i] = value[j];
    return this;
  }
  return nativeFill.call(this, Number(value) & 255, offset, end);
};
function toBytes(value, encoding) {
  if (typeof value === "string") return new Uint8Array(host.encode(value, normEnc(encoding)));
  if (typeof value === "number") return new Uint8Array([value & 255]);
  return value;
}
P.indexOf = function (value, byteOffset = 0, encoding) {
  if (typeof byteOffset === "string") {
    encoding = byteOffset;
    byteOffset = 0;
  }
  if (byteOffset < 0) byteOffset = Math.max(0, this.length + byteOffset);
  const needle = toBytes(value, encoding);
  if (needle.length === 0) return Math.min(byteOffset, this.length);
  outer: for (let i = byteOffset; i <= this.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (this[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
};
P.lastIndexOf = function (value, byteOffset = this.length, encoding) {
  const needle = toBytes(value, encoding);
  outer: for (let i = Math.min(byteOffset, this.length - needle.length); i >= 0; i--) {
    for (let j = 0; j < needle.length; j++) if (this[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
};
P.includes = function (value, byteOffset, encoding) {
  return this.indexOf(value, byteOffset, encoding) !== -1;
};
P.toJSON = function () {
  return { type: "Buffer", data: Array.from(this) };
};
P.swap16 = function () {
  for (let i = 0; i + 1 < this.length; i += 2) [this[i], this[i + 1]] = [this[i + 1], this[i]];
  return this;
};
P.reverse = function () {
  Uint8Array.prototype.reverse.call(this);
  return this;
};
Object.defineProperty(P, "parent", {
  get() {
    return this.buffer;
  },
});
Object.defineProperty(P, "offset", {
  get() {
    return this.byteOffset;
  },
});
P[Symbol.for("nodejs.util.inspect.custom")] = function () {
  const max = 50;
  let s = "";
  for (let i = 0; i < Math.min(max, this.length); i++) s += ` ${this[i].toString(16).padStart(2, "0")}`;
  if (this.length > max) s += ` ... ${this.length - max} more byte${this.length - max > 1 ? "s" : ""}`;
  return `<Buffer${s}>`;
};

// Numeric reads and writes through a DataView.
function dv(b) {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}
function checkOffset(b, offset, size) {
  if (offset === undefined) offset = 0;
  if (typeof offset !== "number" || offset < 0 || offset + size > b.length || offset % 1 !== 0) {
    const e = new RangeError(
      `The value of "offset" is out of range. It must be >= 0 and <= ${b.length - size}. Received ${offset}`,
    );
    e.code = "ERR_OUT_OF_RANGE";
    throw e;
  }
  return offset;
}
const numeric = [
  ["UInt8", "Uint8", 1],
  ["Int8", "Int8", 1],
  ["UInt16", "Uint16", 2],
  ["Int16", "Int16", 2],
  ["UInt32", "Uint32", 4],
  ["Int32", "Int32", 4],
  ["Float", "Float32", 4],
  ["Double", "Float64", 8],
  ["BigUInt64", "BigUint64", 8],
  ["BigInt64", "BigInt64", 8],
];
for (const [name, dvName, size] of numeric) {
  const ends = size === 1 ? [""] : ["LE", "BE"];
  for (const end of ends) {
    const little = end === "LE";
    P[`read${name}${end}`] = function (offset) {
      offset = checkOffset(this, offset, size);
      return dv(this)[`get${dvName}`](offset, little);
    };
    P[`write${name}${end}`] = function (value, offset) {
      offset = checkOffset(this, offset, size);
      dv(this)[`set${dvName}`](offset, value, little);
      return offset + size;
    };
    if (name.startsWith("UInt") || name.startsWith("BigUInt")) {
      const alias = name.replace("UInt", "Uint");
      P[`read${alias}${end}`] = P[`read${name}${end}`];
      P[`write${alias}${end}`] = P[`write${name}${end}`];
    }
  }
}
P.readUIntBE = function (offset, byteLength) {
  let v = 0;
  for (let i = 0; i < byteLength; i++) v = v * 256 + this[offset + i];
  return v;
};
P.readUIntLE = function (offset, byteLength) {
  let v = 0;
  for (let i = byteLength - 1; i >= 0; i--) v = v * 256 + this[offset + i];
  return v;
};
P.readIntBE = function (offset, byteLength) {
  const v = this.readUIntBE(offset, byteLength);
  return v >= 2 ** (8 * byteLength - 1) ? v - 2 ** (8 * byteLength) : v;
};
P.readIntLE = function (offset, byteLength) {
  const v = this.readUIntLE(offset, byteLength);
  return v >= 2 ** (8 * byteLength - 1) ? v - 2 ** (8 * byteLength) : v;
};
P.writeUIntBE = function (value, offset, byteLength) {
  for (let i = byteLength - 1; i >= 0; i--) {
    this[offset + i] = value & 255;
    value = Math.floor(value / 256);
  }
  return offset + byteLength;
};
P.writeUIntLE = function (value, offset, byteLength) {
  for (let i = 0; i < byteLength; i++) {
    this[offset + i] = value & 255;
    value = Math.floor(value / 256);
  }
  return offset + byteLength;
};
P.readUintBE = P.readUIntBE;
P.readUintLE = P.readUIntLE;

function atob(s) {
  return host.decode(host.encode(String(s).replace(/\s+/g, ""), "base64"), "latin1");
}
function btoa(s) {
  s = String(s);
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 255) {
      const e = new Error("Invalid character");
      e.name = "InvalidCharacterError";
      throw e;
    }
  }
  return host.decode(host.encode(s, "latin1"), "base64");
}

class Blob {
  constructor(parts = [], options = {}) {
    const bufs = parts.map((p) =>
      typeof p === "string" ? Buffer.from(p) : p instanceof Blob ? p._buf : Buffer.from(p),
    );
    this._buf = Buffer.concat(bufs);
    this.type = options.type || "";
  }
  get size() {
    return this._buf.length;
  }
  text() {
    return Promise.resolve(this._buf.toString());
  }
  arrayBuffer() {
    return Promise.resolve(toAB(Buffer.from(this._buf)));
  }
  slice(start, end, type) {
    return new Blob([this._buf.subarray(start, end)], { type });
  }
}

module.exports = {
  Buffer,
  SlowBuffer: Buffer.allocUnsafeSlow,
  atob,
  btoa,
  Blob,
  kMaxLength: 2 ** 31,
  constants: { MAX_LENGTH: 2 ** 31, MAX_STRING_LENGTH: 2 ** 29 },
  INSPECT_MAX_BYTES: 50,
  isUtf8: () => true,
  transcode: (buf, from, to) => Buffer.from(buf.toString(from), to),
};
