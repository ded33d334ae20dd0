export { BASE_EPOCH, buildBaseImage, emptyRootLayer, HOSTNAME, VM_USER } from "./base-image.ts";
export { type Errno, FsError, isFsError } from "./errors.ts";
export { decodeLayer, encodeLayers, readLayerHeader } from "./layer-codec.ts";
export { Layer, LayeredInodes } from "./layers.ts";
export { createNodeFs, type NodeFsFacade, type NodeFsOptions } from "./node-fs.ts";
export { basename, dirname, joinPath, normalizePath, resolvePath } from "./path.ts";
export { findLayer, registerLayer } from "./registry.ts";
export {
  decodeContainer,
  encodeContainer,
  type Section,
  SnapshotError,
  type SnapshotErrorCode,
} from "./snapshot.ts";
export * from "./types.ts";
export { type Credentials, DEV, type FsLimits, OpenFile, ROOT, Vfs, type VfsOptions } from "./vfs.ts";
export type { WatchListener } from "./watch.ts";
