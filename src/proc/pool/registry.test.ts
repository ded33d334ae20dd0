import { describe, expect, it } from "vitest";
import { jobKindModule, moduleUrl, registerJobKind } from "./registry.ts";

describe("job kind registry", () => {
  it("maps kinds to module URLs and refuses to silently rebind one", () => {
    registerJobKind("registry-test", "file:///a/runner.ts");
    registerJobKind("registry-test", new URL("file:///a/runner.ts"));
    expect(jobKindModule("registry-test")).toBe("file:///a/runner.ts");
    expect(() => registerJobKind("registry-test", "file:///b/runner.ts")).toThrow(/already registered/);
    expect(jobKindModule("nope")).toBeUndefined();
  });

  it("resolves .ts siblings to .js when running from the build", () => {
    expect(moduleUrl("./worker.ts", "file:///src/proc/pool/pool.ts").href).toBe(
      "file:///src/proc/pool/worker.ts",
    );
    expect(moduleUrl("./worker.ts", "file:///dist/proc/pool/pool.js").href).toBe(
      "file:///dist/proc/pool/worker.js",
    );
    expect(moduleUrl("./data.json", "file:///dist/x.js").href).toBe("file:///dist/data.json");
  });
});
