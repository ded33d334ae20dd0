/**
 * Frozen layers known to this host process, by id, so a delta snapshot can name the layer it sits
 * on. Held weakly: a layer no VM uses any more may be collected, and a delta against it then fails
 * to restore with ESNAPSHOT_BASE_MISSING rather than keeping every layer alive forever.
 */

import type { Layer } from "./layers.ts";

const layers = new Map<string, WeakRef<Layer>>();
const cleanup = new FinalizationRegistry<string>((id) => {
  const ref = layers.get(id);
  if (ref && ref.deref() === undefined) layers.delete(id);
});

export function registerLayer(layer: Layer): void {
  if (!layer.frozen) throw new Error("registerLayer: only frozen layers can be named");
  layers.set(layer.id, new WeakRef(layer));
  cleanup.register(layer, layer.id);
}

export function findLayer(id: string): Layer | undefined {
  return layers.get(id)?.deref();
}
