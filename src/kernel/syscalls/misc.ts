/** Identity and readiness (poll) syscalls. Terminal syscalls are in tty.ts. */

import { Errno } from "../abi.ts";
import { kerr } from "../errors.ts";
import type { Kernel } from "../kernel.ts";
import { WaitQueue } from "../wait-queue.ts";
import { bytes, type Handler, num, str } from "./common.ts";

export const getids: Handler = (_k, p) => [p.cred.uid, p.cred.uid, p.cred.gid, p.cred.gid];

/** passwd/group records straight from the VM's /etc files, so edits to them are seen at once. */
export const getent: Handler = async (k, p, args) => {
  const kind = num(args, 0);
  const keyKind = num(args, 1);
  const id = num(args, 2);
  const name = str(args, 3);
  const records = await readDb(k, kind === 0 ? "/etc/passwd" : "/etc/group");
  let rec: string | undefined;
  if (keyKind === 2) rec = records[id];
  else rec = records.find((r) => (keyKind === 0 ? r.split(":")[2] === String(id) : r.split(":")[0] === name));
  if (rec === undefined) throw kerr(Errno.NOENT);
  void p;
  return [rec];
};

async function readDb(k: Kernel, path: string): Promise<string[]> {
  try {
    const text = new TextDecoder().decode(await k.vfs.readFile(path));
    return text.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#"));
  } catch {
    return [];
  }
}

export const hostname: Handler = (k) => [k.hostname];

/**
 * poll: subscriptions are { u32 fd, u8 kind (1 read, 2 write) }; events are
 * { u32 index, u8 kind, u32 nbytes, u8 hangup }. Waits for the first ready one or the timeout.
 */
export const poll: Handler = async (_k, p, args) => {
  const subs = bytes(args, 0);
  const timeout = num(args, 1);
  const list: Array<{ fd: number; kind: number }> = [];
  const sv = new DataView(subs.buffer, subs.byteOffset, subs.byteLength);
  for (let at = 0; at + 5 <= subs.length; at += 5)
    list.push({ fd: sv.getUint32(at, true), kind: sv.getUint8(at + 4) });
  const check = () => {
    const events: Array<[number, number, number, number]> = [];
    list.forEach((s, i) => {
      if (!p.fds.has(s.fd)) {
        events.push([i, s.kind, 0, 1]);
        return;
      }
      const d = p.fds.desc(s.fd);
      if (s.kind === 1 && d.readable()) events.push([i, 1, d.available(), d.available() === 0 ? 1 : 0]);
      if (s.kind === 2 && d.writable()) events.push([i, 2, 0, 0]);
    });
    return events;
  };
  let events = check();
  if (events.length === 0 && timeout !== 0) {
    const wake = new WaitQueue();
    const cancels = list.map((s) =>
      p.fds.has(s.fd) ? p.fds.desc(s.fd).readiness?.once(() => wake.wake()) : undefined,
    );
    // The timer ends the wait: Node may run it a little before `Date.now()` reaches the deadline,
    // so a deadline check alone could go back to sleep with no timer left.
    let timedOut = false;
    const timer =
      timeout > 0
        ? setTimeout(() => {
            timedOut = true;
            wake.wake();
          }, timeout)
        : undefined;
    try {
      while (events.length === 0 && !timedOut) {
        await new Promise<void>((resolve, reject) => {
          if (p.signal.aborted) return reject(kerr(Errno.INTR));
          const onAbort = () => reject(kerr(Errno.INTR));
          p.signal.addEventListener("abort", onAbort, { once: true });
          wake.once(() => {
            p.signal.removeEventListener("abort", onAbort);
            resolve();
          });
        });
        events = check();
        if (events.length === 0) {
          for (const s of list) if (p.fds.has(s.fd)) p.fds.desc(s.fd).readiness?.once(() => wake.wake());
        }
      }
    } finally {
      if (timer) clearTimeout(timer);
      for (const c of cancels) c?.();
    }
  }
  const out = new Uint8Array(events.length * 10);
  const ov = new DataView(out.buffer);
  events.forEach(([i, kind, n, hup], j) => {
    ov.setUint32(j * 10, i, true);
    ov.setUint8(j * 10 + 4, kind);
    ov.setUint32(j * 10 + 5, n, true);
    ov.setUint8(j * 10 + 9, hup);
  });
  return [out];
};
