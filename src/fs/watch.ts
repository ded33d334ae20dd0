/** inotify-like change notification for the host (`vm.watch`) and, later, for processes. */

import { dirname, isWithin } from "./path.ts";
import type { WatchEvent } from "./types.ts";

export type WatchListener = (event: WatchEvent) => void;

interface Watch {
  path: string;
  recursive: boolean;
  listener: WatchListener;
}

/**
 * Fans filesystem events out to watchers. A watch on a directory sees events on the directory itself
 * and on its direct children; a recursive watch sees the whole subtree; a watch on a file sees that
 * file. Delivery is deferred to a microtask so a listener never runs inside a filesystem operation,
 * and one throwing listener cannot break the operation or other listeners.
 */
export class WatchHub {
  private readonly watches = new Set<Watch>();
  private queue: WatchEvent[] = [];
  private scheduled = false;

  get active(): boolean {
    return this.watches.size > 0;
  }

  add(path: string, recursive: boolean, listener: WatchListener): () => void {
    const w: Watch = { path, recursive, listener };
    this.watches.add(w);
    return () => {
      this.watches.delete(w);
    };
  }

  emit(event: WatchEvent): void {
    if (this.watches.size === 0) return;
    this.queue.push(event);
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  private flush(): void {
    this.scheduled = false;
    const events = this.queue;
    this.queue = [];
    for (const event of events) {
      for (const w of this.watches) {
        if (matches(w, event.path) || (event.oldPath !== undefined && matches(w, event.oldPath))) {
          try {
            w.listener(event);
          } catch (err) {
            // A watcher's bug must not break the VM; report it where a developer will see it.
            console.error("agentos-vm: a watch listener threw:", err);
          }
        }
      }
    }
  }

  clear(): void {
    this.watches.clear();
    this.queue = [];
  }
}

function matches(w: Watch, path: string): boolean {
  if (path === w.path) return true;
  if (w.recursive) return isWithin(path, w.path);
  return dirname(path) === w.path;
}
