/** The environment every case runs with, on the host and in the VM: nothing machine-specific. */
export function caseEnv(home: string): Record<string, string> {
  return { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: home, LC_ALL: "C", TZ: "UTC", TERM: "dumb" };
}

/** Per-process time limit for one case when recording. */
export const caseTimeoutMs = 10_000;
