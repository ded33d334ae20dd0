/** A set of sleepers woken together when the state they wait on may have changed. */
export class WaitQueue {
  private waiters: Array<() => void> = [];

  /** Resolves at the next `wake()`. */
  wait(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Register a one-shot callback for the next `wake()`; returns a function that cancels it. */
  once(cb: () => void): () => void {
    this.waiters.push(cb);
    return () => {
      const i = this.waiters.indexOf(cb);
      if (i >= 0) this.waiters.splice(i, 1);
    };
  }

  wake(): void {
    if (this.waiters.length === 0) return;
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }
}
