// Per-API-path frequency limit (https://developer.work.weixin.qq.com/document/path/90454,
// https://developer.work.weixin.qq.com/document/path/90312: per corp per API 10,000 per minute; over it errcode 45009
// and the API stays blocked for 60 s). Whether WeCom's window is fixed or sliding is undocumented; a sliding 60 s
// window is the stricter choice, so a client that passes here passes either way. Every call is counted, including the
// rejected ones.

const WINDOW_MS = 60_000;

class SlidingCounter {
  private times: number[] = [];
  private head = 0;
  max = 0;

  /** Record a call at `now`; returns how many calls fall within the last 60 s (inclusive of this one). */
  hit(now: number): number {
    this.times.push(now);
    while (this.head < this.times.length && this.times[this.head]! <= now - WINDOW_MS) this.head++;
    if (this.head > 4096 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    const n = this.times.length - this.head;
    if (n > this.max) this.max = n;
    return n;
  }
}

export class RateLimiter {
  private readonly perPath = new Map<string, SlidingCounter>();
  private readonly blockedUntil = new Map<string, number>();
  private overall = new SlidingCounter();

  constructor(
    private readonly limitPerMinute: number,
    private readonly blockMs = WINDOW_MS,
  ) {}

  /** Counts the call; returns false when the path is over its limit (the caller answers 45009). */
  allow(path: string, now: number, enforce = true): boolean {
    this.overall.hit(now);
    let c = this.perPath.get(path);
    if (!c) this.perPath.set(path, (c = new SlidingCounter()));
    const n = c.hit(now);
    if (!enforce) return true;
    if ((this.blockedUntil.get(path) ?? 0) > now) return false;
    if (n > this.limitPerMinute) {
      this.blockedUntil.set(path, now + this.blockMs);
      return false;
    }
    return true;
  }

  /** Highest number of calls seen within any 60 s sliding window, per API path. */
  maxPerPath(): Record<string, number> {
    return Object.fromEntries([...this.perPath.entries()].map(([p, c]) => [p, c.max]));
  }

  /** Highest number of calls to all API paths together within any 60 s sliding window. */
  maxOverall(): number {
    return this.overall.max;
  }

  reset(): void {
    this.perPath.clear();
    this.blockedUntil.clear();
    this.overall = new SlidingCounter();
  }
}

/**
 * Accepted-event times per key (a member, a robot), for the messaging limits that WeCom enforces per recipient or per
 * robot rather than per API path: app messages 30/min and 1000/h per member
 * (https://developer.work.weixin.qq.com/document/path/90236), app-chat messages 200/min per member
 * (https://developer.work.weixin.qq.com/document/path/90248), robots 20/min (https://developer.work.weixin.qq.com/document/path/99110).
 * Sliding windows, like RateLimiter above; only accepted events are added, so a dropped or rejected message does not
 * extend the block.
 */
export class KeyedWindow {
  private readonly times = new Map<string, number[]>();

  /** `keepMs`: the longest window ever asked about; older entries are discarded. */
  constructor(private readonly keepMs: number) {}

  /** Events for `key` within (now - windowMs, now]. */
  count(key: string, now: number, windowMs: number): number {
    const xs = this.prune(key, now);
    let n = 0;
    for (let i = xs.length - 1; i >= 0 && xs[i]! > now - windowMs; i--) n++;
    return n;
  }

  add(key: string, now: number): void {
    const xs = this.prune(key, now);
    xs.push(now);
    this.times.set(key, xs);
  }

  reset(): void {
    this.times.clear();
  }

  private prune(key: string, now: number): number[] {
    const xs = this.times.get(key) ?? [];
    let drop = 0;
    while (drop < xs.length && xs[drop]! <= now - this.keepMs) drop++;
    if (!drop) return xs;
    const kept = xs.slice(drop);
    this.times.set(key, kept);
    return kept;
  }
}
