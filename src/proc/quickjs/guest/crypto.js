// node:crypto — hashes and HMAC (computed by the host), random bytes and UUIDs, timingSafeEqual.

const internal = require("internal");
const { host, toAB } = internal;

const ALGS = {
  md5: "md5",
  sha1: "sha1",
  sha256: "sha256",
  sha224: "sha224",
  sha384: "sha384",
  sha512: "sha512",
  "sha-1": "sha1",
  "sha-256": "sha256",
  "sha-384": "sha384",
  "sha-512": "sha512",
  ripemd160: "ripemd160",
};
function algorithm(a) {
  const n = ALGS[String(a).toLowerCase()];
  if (!n) {
    const e = new Error("Digest method not supported");
    e.code = "ERR_CRYPTO_INVALID_DIGEST";
    throw e;
  }
  return n;
}
function bytes(data, enc) {
  if (typeof data === "string") return Buffer.from(data, enc);
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  const e = new TypeError(
    'The "data" argument must be of type string or an instance of Buffer, TypedArray, or DataView.',
  );
  e.code = "ERR_INVALID_ARG_TYPE";
  throw e;
}
function output(ab, enc) {
  const b = Buffer.from(ab);
  return enc === undefined || enc === "buffer" ? b : b.toString(enc);
}

class Hash {
  constructor(alg, key) {
    this._alg = algorithm(alg);
    this._key = key;
    this._parts = [];
    this._done = false;
  }
  update(data, enc) {
    if (this._done) {
      const e = new Error("Digest already called");
      e.code = "ERR_CRYPTO_HASH_FINALIZED";
      throw e;
    }
    this._parts.push(bytes(data, enc));
    return this;
  }
  digest(enc) {
    this._done = true;
    const data = toAB(Buffer.concat(this._parts));
    const ab =
      this._key === undefined ? host.hash(this._alg, data) : host.hmac(this._alg, toAB(this._key), data);
    return output(ab, enc);
  }
  copy() {
    const h = new Hash(this._alg, this._key);
    h._parts = this._parts.slice();
    return h;
  }
  // Stream-ish use: hash.write() / end() / read()
  write(d, e) {
    this.update(d, e);
    return true;
  }
  end(d, e) {
    if (d !== undefined) this.update(d, e);
    this._result = this.digest();
  }
  read() {
    return this._result ?? null;
  }
}

function randomBytes(n, cb) {
  const b = Buffer.from(host.random(n));
  if (typeof cb === "function") {
    process.nextTick(cb, null, b);
    return undefined;
  }
  return b;
}
function randomFillSync(buf, offset = 0, size) {
  const view = new Uint8Array(buf.buffer || buf, buf.byteOffset || 0, buf.byteLength);
  size = size ?? view.length - offset;
  view.set(new Uint8Array(host.random(size)), offset);
  return buf;
}
function randomUUID() {
  const b = new Uint8Array(host.random(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
function randomInt(min, max, cb) {
  if (max === undefined || typeof max === "function") {
    cb = max;
    max = min;
    min = 0;
  }
  const range = max - min;
  const b = new Uint8Array(host.random(6));
  let v = 0;
  for (const x of b) v = v * 256 + x;
  const r = min + (v % range);
  if (typeof cb === "function") {
    process.nextTick(cb, null, r);
    return undefined;
  }
  return r;
}
function timingSafeEqual(a, b) {
  if (a.byteLength !== b.byteLength) {
    const e = new RangeError("Input buffers must have the same byte length");
    e.code = "ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH";
    throw e;
  }
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}
const webcrypto = {
  getRandomValues(arr) {
    return randomFillSync(arr);
  },
  randomUUID,
  subtle: {
    async digest(alg, data) {
      const name = (typeof alg === "string" ? alg : alg.name).toLowerCase();
      return host.hash(algorithm(name), toAB(bytes(data)));
    },
  },
};
function unsupported(name) {
  return () => {
    throw internal.unsupported(`crypto.${name}()`);
  };
}
module.exports = {
  createHash: (alg) => new Hash(alg),
  createHmac: (alg, key) => new Hash(alg, bytes(key)),
  hash: (alg, data, enc = "hex") => output(host.hash(algorithm(alg), toAB(bytes(data))), enc),
  getHashes: () => Object.keys(ALGS).filter((k) => !k.includes("-")),
  randomBytes,
  pseudoRandomBytes: randomBytes,
  randomFillSync,
  randomFill: (buf, ...rest) => {
    const cb = rest.pop();
    process.nextTick(cb, null, randomFillSync(buf, ...rest));
  },
  randomUUID,
  randomInt,
  timingSafeEqual,
  getRandomValues: webcrypto.getRandomValues,
  webcrypto,
  subtle: webcrypto.subtle,
  createCipheriv: unsupported("createCipheriv"),
  createDecipheriv: unsupported("createDecipheriv"),
  createSign: unsupported("createSign"),
  createVerify: unsupported("createVerify"),
  generateKeyPairSync: unsupported("generateKeyPairSync"),
  pbkdf2Sync: unsupported("pbkdf2Sync"),
  scryptSync: unsupported("scryptSync"),
  constants: {},
  Hash,
};
