// node:perf_hooks — performance.now() and marks/measures.

const internal = require("internal");
const marks = new Map();
const entries = [];
const performance = {
  timeOrigin: internal.startTime,
  now: () => internal.nowMs() - internal.startTime,
  mark(name) {
    const e = { name, entryType: "mark", startTime: performance.now(), duration: 0 };
    marks.set(name, e.startTime);
    entries.push(e);
    return e;
  },
  measure(name, start, end) {
    const s = start === undefined ? 0 : (marks.get(start) ?? 0);
    const en = end === undefined ? performance.now() : (marks.get(end) ?? performance.now());
    const e = { name, entryType: "measure", startTime: s, duration: en - s };
    entries.push(e);
    return e;
  },
  getEntries: () => entries.slice(),
  getEntriesByName: (n) => entries.filter((e) => e.name === n),
  getEntriesByType: (t) => entries.filter((e) => e.entryType === t),
  clearMarks: () => marks.clear(),
  clearMeasures: () => {},
  toJSON: () => ({ timeOrigin: performance.timeOrigin }),
  eventLoopUtilization: () => ({ idle: 0, active: 0, utilization: 0 }),
};
class PerformanceObserver {
  observe() {}
  disconnect() {}
}
module.exports = {
  performance,
  PerformanceObserver,
  monitorEventLoopDelay: () => ({ enable() {}, disable() {}, percentile: () => 0 }),
};
