/** The built-in mount plugins: an in-memory tree and a confined host directory. */

export { type HostDirMountOptions, hostDirMount } from "./host-dir.ts";
export { type MemoryMountOptions, memoryMount } from "./memory.ts";
