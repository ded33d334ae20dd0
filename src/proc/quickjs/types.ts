/** What the host posts to a worker to run one `node` process. */
export interface QuickjsJobPayload {
  /** argv as exec'd: argv[0] is "node" (or its path), then node options, the script and its args. */
  argv: string[];
  /** KEY=VALUE entries. */
  env: string[];
  pid: number;
  cwd: string;
  /** QuickJS heap limit in bytes (default 256 MiB). */
  memoryLimitBytes?: number;
  /** QuickJS stack limit in bytes (default 256 KiB). */
  stackLimitBytes?: number;
  /** Where the QuickJS packages are, as resolved by the host (see runner.ts loadQuickjs). */
  modules?: QuickjsModuleUrls;
}

export interface QuickjsModuleUrls {
  core: string;
  variant: string;
}

/** The Node.js API level the runtime emulates (what `node --version` prints). */
export const NODE_VERSION = "v22.12.0";
