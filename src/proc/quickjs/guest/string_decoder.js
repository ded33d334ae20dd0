// node:string_decoder — decodes byte chunks without splitting multi-byte characters.

class StringDecoder {
  constructor(encoding = "utf8") {
    this.encoding = String(encoding).toLowerCase().replace("-", "");
    this._pending = null;
  }
  write(buf) {
    if (typeof buf === "string") return buf;
    let b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf);
    if (this._pending) {
      b = Buffer.concat([this._pending, b]);
      this._pending = null;
    }
    if (this.encoding === "utf8") {
      let cut = b.length;
      for (let i = Math.max(0, b.length - 3); i < b.length; i++) {
        const c = b[i];
        const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
        if (need > 1 && i + need > b.length) {
          cut = i;
          break;
        }
      }
      if (cut < b.length) {
        this._pending = Buffer.from(b.subarray(cut));
        b = b.subarray(0, cut);
      }
    } else if (this.encoding === "utf16le" || this.encoding === "ucs2") {
      if (b.length % 2) {
        this._pending = Buffer.from(b.subarray(b.length - 1));
        b = b.subarray(0, b.length - 1);
      }
    } else if (this.encoding === "base64") {
      const rem = b.length % 3;
      if (rem) {
        this._pending = Buffer.from(b.subarray(b.length - rem));
        b = b.subarray(0, b.length - rem);
      }
    }
    return b.toString(this.encoding);
  }
  end(buf) {
    let s = buf ? this.write(buf) : "";
    if (this._pending) {
      s += this._pending.toString(this.encoding);
      this._pending = null;
    }
    return s;
  }
}
module.exports = { StringDecoder };
