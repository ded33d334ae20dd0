// node:vm — runInThisContext / runInNewContext over the same QuickJS context (no isolation).

const internal = require("internal");
function runInThisContext(code, options) {
  const filename =
    typeof options === "string" ? options : (options && options.filename) || "evalmachine.<anonymous>";
  return internal.host.evalScript(String(code), filename);
}
function runInContext(code, context, options) {
  const keys = Object.keys(context || {});
  const fn = internal.host.evalScript(
    `(function (${keys.join(", ")}) { return eval(${JSON.stringify(String(code))}); })`,
    (options && options.filename) || "evalmachine.<anonymous>",
  );
  return fn(...keys.map((k) => context[k]));
}
class Script {
  constructor(code, options) {
    this.code = code;
    this.options = options;
  }
  runInThisContext() {
    return runInThisContext(this.code, this.options);
  }
  runInNewContext(ctx) {
    return runInContext(this.code, ctx, this.options);
  }
  runInContext(ctx) {
    return runInContext(this.code, ctx, this.options);
  }
}
module.exports = {
  runInThisContext,
  runInNewContext: runInContext,
  runInContext,
  createContext: (o = {}) => o,
  isContext: () => true,
  Script,
  compileFunction: (code, params = []) =>
    internal.host.evalScript(`(function (${params.join(", ")}) {\n${code}\n})`, "evalmachine.<anonymous>"),
};
