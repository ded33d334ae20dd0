/**
 * WASI preview1: `poll_oneoff`. Clock subscriptions alone become one `Sys.SLEEP` until the
 * earliest deadline; fd subscriptions become one `Sys.POLL` with that deadline as its timeout.
 */
import { Errno, Sys } from "../../../kernel/abi.ts";
import type { ProcState } from "../state.ts";
import { clockNow } from "./clock-random.ts";
import {
  EVENT_SIZE,
  SUBSCRIPTION_SIZE,
  WASI_EVENT_FD_READWRITE_HANGUP,
  WASI_EVENTTYPE,
  WASI_SUBCLOCK_ABSTIME,
} from "./constants.ts";

interface Event {
  userdata: bigint;
  error: number;
  type: number;
  nbytes: bigint;
  flags: number;
}

export function pollImports(p: ProcState) {
  const { mem, k } = p;
  const started = process.hrtime.bigint();

  return {
    poll_oneoff(inPtr: number, outPtr: number, count: number, neventsPtr: number): number {
      const n = count >>> 0;
      if (n === 0) return Errno.INVAL;
      const input = mem.check(inPtr, n * SUBSCRIPTION_SIZE);
      const output = mem.check(outPtr, n * EVENT_SIZE);
      const dv = mem.view;
      const clocks: { userdata: bigint; ms: number }[] = [];
      const fds: { userdata: bigint; type: number; fd: number }[] = [];
      const events: Event[] = [];
      for (let i = 0; i < n; i++) {
        const at = input + i * SUBSCRIPTION_SIZE;
        const userdata = dv.getBigUint64(at, true);
        const type = dv.getUint8(at + 8);
        if (type === WASI_EVENTTYPE.CLOCK) {
          const id = dv.getUint32(at + 16, true);
          const timeout = dv.getBigUint64(at + 24, true);
          const flags = dv.getUint16(at + 40, true);
          const now = clockNow(id, started);
          if (now === null) {
            events.push({ userdata, error: Errno.INVAL, type, nbytes: 0n, flags: 0 });
            continue;
          }
          const rel = flags & WASI_SUBCLOCK_ABSTIME ? timeout - now : timeout;
          clocks.push({ userdata, ms: rel > 0n ? Number(rel) / 1e6 : 0 });
        } else if (type === WASI_EVENTTYPE.FD_READ || type === WASI_EVENTTYPE.FD_WRITE) {
          const fd = dv.getUint32(at + 16, true) | 0;
          if (p.isTagged(fd)) events.push({ userdata, error: Errno.BADF, type, nbytes: 0n, flags: 0 });
          else fds.push({ userdata, type, fd });
        } else {
          events.push({ userdata, error: Errno.INVAL, type, nbytes: 0n, flags: 0 });
        }
      }
      const wait = clocks.length > 0 ? Math.min(...clocks.map((c) => c.ms)) : -1;
      // Immediate answers (bad subscriptions) make the call return without waiting.
      const timeout = events.length > 0 ? 0 : wait;
      let fdEvents = 0;
      if (fds.length > 0) {
        const subs = new Uint8Array(fds.length * 5);
        const sv = new DataView(subs.buffer);
        fds.forEach((s, i) => {
          sv.setUint32(i * 5, s.fd, true);
          subs[i * 5 + 4] = s.type === WASI_EVENTTYPE.FD_READ ? 1 : 2;
        });
        const r = k.call(Sys.POLL, [subs, timeout < 0 ? -1 : Math.ceil(timeout)]);
        if (r.errno !== 0) return r.errno;
        const ev = r.values[0] as Uint8Array;
        const evv = new DataView(ev.buffer, ev.byteOffset, ev.byteLength);
        for (let at = 0; at + 10 <= ev.byteLength; at += 10) {
          const sub = fds[evv.getUint32(at, true)];
          if (sub === undefined) continue;
          const flags = ev[at + 9] ? WASI_EVENT_FD_READWRITE_HANGUP : 0;
          events.push({
            userdata: sub.userdata,
            error: 0,
            type: sub.type,
            nbytes: BigInt(evv.getUint32(at + 5, true)),
            flags,
          });
          fdEvents++;
        }
      } else if (timeout > 0) {
        const r = k.call(Sys.SLEEP, [Math.ceil(timeout)]);
        if (r.errno !== 0) return r.errno;
      }
      // The earliest clocks fire when nothing else answered (POLL timed out, or a plain sleep).
      if (fdEvents === 0 && events.length === 0) {
        for (const c of clocks) {
          if (c.ms <= wait)
            events.push({ userdata: c.userdata, error: 0, type: WASI_EVENTTYPE.CLOCK, nbytes: 0n, flags: 0 });
        }
      }
      const out = mem.view;
      events.slice(0, n).forEach((e, i) => {
        const at = output + i * EVENT_SIZE;
        out.setBigUint64(at, e.userdata, true);
        out.setUint16(at + 8, e.error, true);
        out.setUint8(at + 10, e.type);
        out.setBigUint64(at + 16, e.nbytes, true);
        out.setUint16(at + 24, e.flags, true);
      });
      mem.setU32(neventsPtr, Math.min(events.length, n));
      return 0;
    },
  };
}
