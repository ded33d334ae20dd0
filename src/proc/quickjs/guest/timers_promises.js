// node:timers/promises

const internal = require("internal");
const { timers } = internal;
function abortError(signal) {
  const e = new Error("The operation was aborted");
  e.name = "AbortError";
  e.code = "ABORT_ERR";
  e.cause = signal && signal.reason;
  return e;
}
function setTimeout(ms, value, options = {}) {
  return new Promise((resolve, reject) => {
    if (options.signal && options.signal.aborted) return reject(abortError(options.signal));
    const t = timers.setTimeout(() => resolve(value), ms);
    if (options.ref === false) t.unref();
    if (options.signal)
      options.signal.addEventListener("abort", () => {
        timers.clearTimeout(t);
        reject(abortError(options.signal));
      });
  });
}
function setImmediate(value) {
  return new Promise((resolve) => timers.setImmediate(() => resolve(value)));
}
async function* setInterval(ms, value) {
  for (;;) {
    await setTimeout(ms);
    yield value;
  }
}
const scheduler = { wait: (ms, o) => setTimeout(ms, undefined, o), yield: () => setImmediate() };
module.exports = { setTimeout, setImmediate, setInterval, scheduler };
