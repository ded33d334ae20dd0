// node:os — facts about the VM.

const internal = require("internal");
const { sys, Sys } = internal;
const signals = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGILL: 4,
  SIGTRAP: 5,
  SIGABRT: 6,
  SIGBUS: 7,
  SIGFPE: 8,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGSEGV: 11,
  SIGUSR2: 12,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
  SIGCHLD: 17,
  SIGCONT: 18,
  SIGSTOP: 19,
  SIGTSTP: 20,
  SIGTTIN: 21,
  SIGTTOU: 22,
  SIGURG: 23,
  SIGWINCH: 28,
};
const errno = {};
for (const v of Object.values(internal.ERRNO)) errno[v[0]] = v[1];
function passwd() {
  const ids = sys(Sys.GETIDS);
  const uid = ids[1];
  try {
    const text = require("fs").readFileSync("/etc/passwd", "utf8");
    for (const line of text.split("\n")) {
      const f = line.split(":");
      if (Number(f[2]) === uid) return { uid, gid: Number(f[3]), username: f[0], homedir: f[5], shell: f[6] };
    }
  } catch {}
  return {
    uid,
    gid: ids[3],
    username: process.env.USER || "agentos",
    homedir: process.env.HOME || "/home/agentos",
    shell: "/bin/sh",
  };
}
module.exports = {
  EOL: "\n",
  devNull: "/dev/null",
  arch: () => "wasm32",
  platform: () => "linux",
  type: () => "Linux",
  release: () => "0.0.1-agentos",
  version: () => "#1 agentos-vm",
  machine: () => "wasm32",
  hostname: () => sys(Sys.HOSTNAME)[1],
  homedir: () => process.env.HOME || passwd().homedir,
  tmpdir: () => {
    const t = process.env.TMPDIR || process.env.TMP || process.env.TEMP || "/tmp";
    return t.length > 1 && t.endsWith("/") ? t.slice(0, -1) : t;
  },
  userInfo: () => passwd(),
  uptime: () => Math.floor(process.uptime()),
  loadavg: () => [0, 0, 0],
  totalmem: () => internal.info.memoryLimit,
  freemem: () => internal.info.memoryLimit,
  availableParallelism: () => 1,
  cpus: () => [
    { model: "agentos-vm virtual CPU", speed: 0, times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 } },
  ],
  networkInterfaces: () => ({
    lo: [
      {
        address: "127.0.0.1",
        netmask: "255.0.0.0",
        family: "IPv4",
        mac: "00:00:00:00:00:00",
        internal: true,
        cidr: "127.0.0.1/8",
      },
    ],
  }),
  endianness: () => "LE",
  getPriority: () => 0,
  setPriority: () => {},
  constants: { signals, errno, priority: {} },
};
