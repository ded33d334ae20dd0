// node:assert — the common assertions with Node's AssertionError shape.

const util = require("util");

class AssertionError extends Error {
  constructor(options) {
    const { message, actual, expected, operator } = options;
    super(message !== undefined ? String(message) : defaultMessage(actual, expected, operator));
    this.generatedMessage = message === undefined;
    this.code = "ERR_ASSERTION";
    this.actual = actual;
    this.expected = expected;
    this.operator = operator;
  }
  get name() {
    return "AssertionError";
  }
}
function defaultMessage(actual, expected, operator) {
  const a = util.inspect(actual);
  const e = util.inspect(expected);
  switch (operator) {
    case "strictEqual":
      return `Expected values to be strictly equal:\n\n${a} !== ${e}\n`;
    case "deepStrictEqual":
      return `Expected values to be strictly deep-equal:\n+ actual - expected\n\n+ ${a.replace(/\n/g, "\n+ ")}\n- ${e.replace(/\n/g, "\n- ")}\n`;
    case "deepEqual":
      return `Expected values to be loosely deep-equal:\n\n${a}\n\nshould loosely deep-equal\n\n${e}`;
    case "notStrictEqual":
      return `Expected "actual" to be strictly unequal to: ${e}`;
    case "notDeepStrictEqual":
      return `Expected "actual" not to be strictly deep-equal to: ${e}`;
    case "==":
      return `${a} == ${e}`;
    case "!=":
      return `${a} != ${e}`;
    case "fail":
      return "Failed";
    default:
      return `${a} ${operator} ${e}`;
  }
}
function fail(actual, expected, message, operator) {
  if (message instanceof Error) throw message;
  throw new AssertionError({ actual, expected, message, operator });
}
function ok(value, message) {
  if (!value) {
    if (message instanceof Error) throw message;
    throw new AssertionError({
      actual: value,
      expected: true,
      operator: "==",
      message:
        message === undefined
          ? arguments.length === 0
            ? "No value argument passed to `assert.ok()`"
            : "The expression evaluated to a falsy value:\n\n  assert.ok(" + util.inspect(value) + ")\n"
          : message,
    });
  }
}
function assert(value, message) {
  if (!value) {
    if (message instanceof Error) throw message;
    throw new AssertionError({
      actual: value,
      expected: true,
      operator: "==",
      message:
        message === undefined
          ? "The expression evaluated to a falsy value:\n\n  assert(" + util.inspect(value) + ")\n"
          : message,
    });
  }
}
const deepEq = (a, b, strict) => util._deepEqual(a, b, strict, new Map());

function matches(err, expected) {
  if (expected === undefined) return true;
  if (typeof expected === "function") {
    if (expected.prototype !== undefined && err instanceof expected) return true;
    if (Error.isPrototypeOf(expected) || expected === Error) return false;
    return expected(err) === true;
  }
  if (expected instanceof RegExp)
    return (
      expected.test(String(err && err.message !== undefined ? err : err)) || expected.test(err && err.message)
    );
  if (typeof expected === "object") {
    for (const k of Object.keys(expected)) {
      const ev = expected[k];
      const av = err[k];
      if (ev instanceof RegExp && typeof av === "string") {
        if (!ev.test(av)) return false;
      } else if (!deepEq(av, ev, true)) return false;
    }
    return true;
  }
  return false;
}

Object.assign(assert, {
  ok,
  fail: (message = "Failed") => fail(undefined, undefined, message, "fail"),
  equal(a, b, m) {
    if (!(a == b || (a !== a && b !== b))) fail(a, b, m, "==");
  },
  notEqual(a, b, m) {
    if (a == b) fail(a, b, m, "!=");
  },
  strictEqual(a, b, m) {
    if (!Object.is(a, b)) fail(a, b, m, "strictEqual");
  },
  notStrictEqual(a, b, m) {
    if (Object.is(a, b)) fail(a, b, m, "notStrictEqual");
  },
  deepEqual(a, b, m) {
    if (!deepEq(a, b, false)) fail(a, b, m, "deepEqual");
  },
  deepStrictEqual(a, b, m) {
    if (!deepEq(a, b, true)) fail(a, b, m, "deepStrictEqual");
  },
  notDeepEqual(a, b, m) {
    if (deepEq(a, b, false)) fail(a, b, m, "notDeepEqual");
  },
  notDeepStrictEqual(a, b, m) {
    if (deepEq(a, b, true)) fail(a, b, m, "notDeepStrictEqual");
  },
  throws(fn, expected, message) {
    if (typeof expected === "string") {
      message = expected;
      expected = undefined;
    }
    try {
      fn();
    } catch (e) {
      if (!matches(e, expected)) {
        if (
          typeof expected === "function" &&
          !(expected.prototype !== undefined && e instanceof expected) &&
          (Error.isPrototypeOf(expected) || expected === Error)
        )
          throw e;
        fail(e, expected, message || `The error did not match the expected value`, "throws");
      }
      return;
    }
    fail(undefined, expected, message || "Missing expected exception.", "throws");
  },
  doesNotThrow(fn, message) {
    try {
      fn();
    } catch (e) {
      fail(
        e,
        undefined,
        typeof message === "string"
          ? message
          : `Got unwanted exception.\nActual message: "${e && e.message}"`,
        "doesNotThrow",
      );
    }
  },
  async rejects(p, expected, message) {
    try {
      await (typeof p === "function" ? p() : p);
    } catch (e) {
      if (!matches(e, expected))
        fail(e, expected, message || "The error did not match the expected value", "rejects");
      return;
    }
    fail(undefined, expected, message || "Missing expected rejection.", "rejects");
  },
  async doesNotReject(p, message) {
    try {
      await (typeof p === "function" ? p() : p);
    } catch (e) {
      fail(
        e,
        undefined,
        message || `Got unwanted rejection.\nActual message: "${e && e.message}"`,
        "doesNotReject",
      );
    }
  },
  match(s, re, m) {
    if (!re.test(s))
      fail(
        s,
        re,
        m || `The input did not match the regular expression ${re}. Input:\n\n${util.inspect(s)}\n`,
        "match",
      );
  },
  doesNotMatch(s, re, m) {
    if (re.test(s))
      fail(
        s,
        re,
        m ||
          `The input was expected to not match the regular expression ${re}. Input:\n\n${util.inspect(s)}\n`,
        "doesNotMatch",
      );
  },
  ifError(v) {
    if (v !== null && v !== undefined) throw v;
  },
  AssertionError,
});
assert.strict = Object.assign((v, m) => assert(v, m), assert, {
  equal: assert.strictEqual,
  deepEqual: assert.deepStrictEqual,
  notEqual: assert.notStrictEqual,
  notDeepEqual: assert.notDeepStrictEqual,
});
assert.strict.strict = assert.strict;
module.exports = assert;
