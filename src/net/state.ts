/** Per-VM network state, keyed by the kernel: the egress policy and the table of listening ports. */
import type { Kernel } from "../kernel/kernel.ts";
import type { NetworkPolicy } from "./policy.ts";
import type { Listener } from "./server.ts";

export interface NetState {
  policy: NetworkPolicy | undefined;
  listeners: Map<number, Listener>;
  nextEphemeral: number;
}

const STATES = new WeakMap<Kernel, NetState>();

export function netState(k: Kernel): NetState {
  let s = STATES.get(k);
  if (!s) {
    s = { policy: undefined, listeners: new Map(), nextEphemeral: 40000 };
    STATES.set(k, s);
  }
  return s;
}

/** Sets (replaces) the VM's egress policy. `undefined` denies everything. */
export function setNetworkPolicy(k: Kernel, policy: NetworkPolicy | undefined): void {
  netState(k).policy = policy
    ? { allow: [...(policy.allow ?? [])], headers: { ...policy.headers } }
    : undefined;
}

export function getNetworkPolicy(k: Kernel): NetworkPolicy | undefined {
  return netState(k).policy;
}
