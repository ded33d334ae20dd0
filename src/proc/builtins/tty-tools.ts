/**
 * `stty` and `tput` for the VM's terminals. The WASM `stty` answers "terminal control is not
 * supported" and there is no `tput` at all, so programs and scripts could not learn the window
 * size after a resize. These ask the kernel's pty (Sys.TTY_SIZE / TTY_SET_RAW) like their GNU and
 * ncurses counterparts ask the tty driver.
 */
import { Sys } from "../../kernel/abi.ts";
import { type Runtime, SysError } from "./runtime.ts";

function size(rt: Runtime, fd: number): [cols: number, rows: number] | null {
  try {
    const [cols, rows] = rt.call(Sys.TTY_SIZE, [fd]) as number[];
    return [Number(cols), Number(rows)];
  } catch (e) {
    if (e instanceof SysError) return null;
    throw e;
  }
}

const STTY_USAGE = "usage: stty [-a | -g | size | raw | -raw | cooked | sane]";

/** stty: report the window size and settings of standard input's terminal; switch raw/cooked. */
export function sttyMain(rt: Runtime): number {
  const args = rt.argv.slice(1);
  const winsize = size(rt, 0);
  if (winsize === null) {
    rt.error("stty: 'standard input': Inappropriate ioctl for device");
    return 1;
  }
  const [cols, rows] = winsize;
  if (args.length === 0 || args[0] === "-a" || args[0] === "--all") {
    rt.write(1, `speed 38400 baud; rows ${rows}; columns ${cols}; line = 0;\n`);
    if (args.length > 0) {
      rt.write(1, "intr = ^C; quit = ^\\; erase = ^?; kill = ^U; eof = ^D; werase = ^W;\n");
      rt.write(1, "icrnl onlcr isig icanon echo\n");
    }
    return 0;
  }
  for (const arg of args) {
    switch (arg) {
      case "size":
        rt.write(1, `${rows} ${cols}\n`);
        break;
      case "-g":
        rt.write(1, `agentos:${rows}:${cols}\n`);
        break;
      case "raw":
      case "-cooked":
        rt.call(Sys.TTY_SET_RAW, [0, 1]);
        break;
      case "-raw":
      case "cooked":
      case "sane":
        rt.call(Sys.TTY_SET_RAW, [0, 0]);
        break;
      default:
        rt.error(`stty: setting '${arg}' is not supported in agentos-vm`);
        rt.error(STTY_USAGE);
        return 1;
    }
  }
  return 0;
}

const SGR: Readonly<Record<string, string>> = {
  sgr0: "\x1b(B\x1b[m",
  bold: "\x1b[1m",
  dim: "\x1b[2m",
  smul: "\x1b[4m",
  rmul: "\x1b[24m",
  rev: "\x1b[7m",
  smso: "\x1b[7m",
  rmso: "\x1b[27m",
  clear: "\x1b[H\x1b[2J",
  el: "\x1b[K",
  ed: "\x1b[J",
  home: "\x1b[H",
  civis: "\x1b[?25l",
  cnorm: "\x1b[?12l\x1b[?25h",
  smcup: "\x1b[?1049h",
  rmcup: "\x1b[?1049l",
  bel: "\x07",
};

/** tput: terminal capabilities for TERM (xterm-like), and the live window size. */
export function tputMain(rt: Runtime): number {
  const args = rt.argv.slice(1).filter((a) => !a.startsWith("-T"));
  const [cap, ...params] = args;
  if (cap === undefined) {
    rt.error("usage: tput capability [parameters]");
    return 2;
  }
  const term = rt.env.get("TERM") ?? "dumb";
  const winsize = size(rt, 1) ?? size(rt, 2) ?? size(rt, 0);
  const n = (i: number) => Number.parseInt(params[i] ?? "0", 10) || 0;
  switch (cap) {
    case "cols":
      rt.write(1, `${winsize?.[0] ?? (Number(rt.env.get("COLUMNS")) || 80)}\n`);
      return 0;
    case "lines":
      rt.write(1, `${winsize?.[1] ?? (Number(rt.env.get("LINES")) || 24)}\n`);
      return 0;
    case "colors":
      rt.write(1, `${term.includes("256color") ? 256 : term.startsWith("xterm") ? 8 : -1}\n`);
      return 0;
    case "longname":
      rt.write(1, term);
      return 0;
  }
  if (term === "dumb") {
    rt.error(`tput: terminal '${term}' has no capability '${cap}'`);
    return 4;
  }
  if (cap === "setaf" || cap === "setab") {
    const c = n(0);
    const base = cap === "setaf" ? 3 : 4;
    rt.write(1, c < 8 ? `\x1b[${base}${c}m` : `\x1b[${base}8;5;${c}m`);
    return 0;
  }
  if (cap === "cup") {
    rt.write(1, `\x1b[${n(0) + 1};${n(1) + 1}H`);
    return 0;
  }
  const seq = SGR[cap];
  if (seq === undefined) {
    rt.error(`tput: unknown terminal capability '${cap}'`);
    return 4;
  }
  rt.write(1, seq);
  return 0;
}
