import { readdirSync, readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { GUEST_SOURCES } from "../../src/proc/quickjs/guest-sources.ts";

it("guest-sources.ts is up to date with guest/*.js (run node src/proc/quickjs/guest/bundle.ts)", () => {
  const dir = new URL("../../src/proc/quickjs/guest/", import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith(".js"));
  expect(Object.keys(GUEST_SOURCES).sort()).toEqual(files.map((f) => f.slice(0, -3)).sort());
  for (const f of files)
    expect(GUEST_SOURCES[f.slice(0, -3)] === readFileSync(new URL(f, dir), "utf8"), f).toBe(true);
});
