/**
 * The "pi" agent type. Pi (~1 s to import) loads on the first "pi" session, so a VM that never
 * starts one does not pay for it.
 */

import type { AgentRuntime } from "../types.ts";

export const piRuntime: AgentRuntime = {
  async create(context, restoredState) {
    const { createPiSession } = await import("./session.ts");
    return createPiSession(context, restoredState);
  },
};
