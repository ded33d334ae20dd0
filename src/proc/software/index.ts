/**
 * Command software: reading `.aospkg` packages and WASM modules, and the host-wide command set
 * the kernel runs commands from.
 */

export {
  type AospkgAgent,
  type AospkgCommand,
  AospkgError,
  type AospkgFile,
  type AospkgFileKind,
  type AospkgPackage,
  type AospkgProvides,
  readAospkg,
} from "./aospkg.ts";
export {
  AOSPKG_PACKAGES,
  type CommandAbi,
  type CommandRecord,
  type CommandSet,
  type CommandSource,
  commandsFromSoftware,
  detectAbi,
  getModule,
  loadCommandSet,
  STUB_COMMANDS,
  WASM_DIR_PACKAGES,
} from "./command-set.ts";
export {
  readExports,
  readImports,
  readMemoryLimits,
  type WasmExport,
  WasmFormatError,
  type WasmImport,
  type WasmImportKind,
  type WasmMemoryLimits,
  type WasmValueType,
} from "./wasm-imports.ts";
