/** VM networking: the egress policy for guest HTTP clients, and servers listening on VM ports. */
export { deniedMessage, egressAllowed, runEgress } from "./egress.ts";
export { describeHost, hostMatches, injectedHeaders, isAllowed, type NetworkPolicy } from "./policy.ts";
export { findRequest, Listener, listen, listeningPorts, type PendingRequest, vmFetch } from "./server.ts";
export { getNetworkPolicy, setNetworkPolicy } from "./state.ts";
