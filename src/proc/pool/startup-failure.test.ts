// Its own file: it registers a broken preload module, and the job kind registry is process-wide.
import { afterEach, expect, it } from "vitest";
import { WorkerPool } from "./pool.ts";
import { registerJobKind } from "./registry.ts";

let pool: WorkerPool;
afterEach(() => pool?.shutdown());

it("gives up after repeated startup failures instead of respawning forever", async () => {
  registerJobKind("broken", new URL("./testing/does-not-exist.ts", import.meta.url), { preload: true });
  pool = new WorkerPool({ spares: 1 });
  await expect(pool.acquire()).rejects.toThrow(/fail to start/);
  await pool.whenWarm();
  expect(pool.stats()).toEqual({ idle: 0, starting: 0, busy: 0 });
});
