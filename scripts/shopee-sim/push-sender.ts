// Push delivery (https://open.shopee.com/developer-guide/18 and the push pages, e.g.
// https://open.shopee.com/push-mechanism/3): POST the JSON body to the callback URL with
// Authorization = hex HMAC-SHA256(push key, url + "|" + body). Success is a 2xx with an EMPTY body within 3 s; anything
// else (other status, a body such as "OK", a timeout, a refused connection, a redirect — not followed) is a failure.
// A failed message goes to the lost-push store and is retried after 300 s, 1800 s and 10800 s (compressible with
// retryDelaysMs). Injected faults: drop (never sent, straight to the lost store), repeat (sent twice), reorder (held
// back and sent after the next push).
import type { SimClock } from './clock';
import type { LostPushStore } from './lost-push';
import type { PushMessage } from './push-payloads';
import type { Rng } from './random';
import { pushAuthorization } from './signing';

/** A count (the next n pushes) or a probability applied to every push until cleared. */
export type FaultSpec = number | { probability: number };

export interface PushFaults {
  drop?: FaultSpec;
  repeat?: FaultSpec;
  reorder?: FaultSpec;
}

export type PushFault = keyof PushFaults;

export interface PushAttempt {
  msgId: string;
  code: number;
  shopId?: number;
  url?: string;
  body: string;
  /** 0 for the first send, 1..3 for the retries. */
  attempt: number;
  fault?: PushFault;
  outcome: 'delivered' | 'failed' | 'dropped' | 'no_push_url';
  status?: number;
  response?: string;
  error?: string;
  /** Simulator seconds when the attempt started. */
  at: number;
  durationMs?: number;
}

export interface PushSenderDeps {
  clock: SimClock;
  rng: Rng;
  lost: LostPushStore;
  pushUrl: () => string | undefined;
  pushKey: () => string;
  retryDelaysMs: () => readonly number[];
  timeoutMs: number;
  /** How long a reordered push waits for a next one before it goes out anyway. */
  reorderHoldMs: number;
}

export class PushSender {
  readonly attempts: PushAttempt[] = [];
  private readonly faults = new Map<PushFault, FaultSpec>();
  private readonly inflight = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly lostIds = new Set<string>();
  private held?: { msg: PushMessage; repeat: boolean; timer: NodeJS.Timeout };
  private closed = false;

  constructor(private readonly deps: PushSenderDeps) {}

  setFaults(f: PushFaults): void {
    for (const [k, v] of Object.entries(f) as [PushFault, FaultSpec | undefined][]) {
      if (v === undefined || v === 0) this.faults.delete(k);
      else this.faults.set(k, v);
    }
  }

  clearFaults(): void {
    this.faults.clear();
  }

  send(msg: PushMessage): void {
    if (this.closed) return;
    const url = this.deps.pushUrl();
    if (!url) {
      this.record(msg, { attempt: 0, outcome: 'no_push_url' });
      return;
    }
    if (this.draw('drop')) {
      this.record(msg, { attempt: 0, fault: 'drop', outcome: 'dropped', url });
      this.markLost(msg);
      return;
    }
    const repeat = this.draw('repeat');
    const previous = this.held;
    if (previous) {
      // This push is "the next one": it overtakes the held push, which follows right after.
      clearTimeout(previous.timer);
      this.timers.delete(previous.timer);
      this.held = undefined;
      this.track(this.dispatch(msg, repeat).then(() => this.dispatch(previous.msg, previous.repeat, 'reorder')));
      return;
    }
    if (this.draw('reorder')) {
      const timer = setTimeout(() => this.releaseHeld(), this.deps.reorderHoldMs);
      this.timers.add(timer);
      this.held = { msg, repeat, timer };
      return;
    }
    this.track(this.dispatch(msg, repeat));
  }

  /** Resolves when no delivery is in flight (scheduled retries and a held push are not waited for). */
  async settled(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }

  /** Send a held (reordered) push now. */
  releaseHeld(): void {
    const h = this.held;
    if (!h) return;
    clearTimeout(h.timer);
    this.timers.delete(h.timer);
    this.held = undefined;
    this.track(this.dispatch(h.msg, h.repeat, 'reorder'));
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.held = undefined;
  }

  private draw(kind: PushFault): boolean {
    const spec = this.faults.get(kind);
    if (spec === undefined) return false;
    if (typeof spec === 'number') {
      if (spec <= 1) this.faults.delete(kind);
      else this.faults.set(kind, spec - 1);
      return true;
    }
    return this.deps.rng.chance(spec.probability);
  }

  private track(p: Promise<void>): void {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  private async dispatch(msg: PushMessage, repeat: boolean, fault?: PushFault): Promise<void> {
    await this.deliver(msg, 0, fault);
    if (repeat) await this.deliver(msg, 0, 'repeat');
  }

  private async deliver(msg: PushMessage, attempt: number, fault?: PushFault): Promise<void> {
    if (this.closed) return;
    const url = this.deps.pushUrl();
    if (!url) {
      this.record(msg, { attempt, fault, outcome: 'no_push_url' });
      return;
    }
    const started = Date.now();
    const at = this.deps.clock.now();
    const abort = new AbortController();
    const timeout = setTimeout(() => abort.abort(), this.deps.timeoutMs);
    let ok = false;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: pushAuthorization(this.deps.pushKey(), url, msg.body) },
        body: msg.body,
        redirect: 'manual',
        signal: abort.signal,
      });
      const text = await res.text();
      ok = res.status >= 200 && res.status < 300 && text === '';
      this.record(msg, { attempt, fault, url, at, outcome: ok ? 'delivered' : 'failed', status: res.status, response: text, durationMs: Date.now() - started });
    } catch (err) {
      const error = abort.signal.aborted ? `no answer within ${this.deps.timeoutMs} ms` : (err as Error).message;
      this.record(msg, { attempt, fault, url, at, outcome: 'failed', error, durationMs: Date.now() - started });
    } finally {
      clearTimeout(timeout);
    }
    if (ok) return;
    this.markLost(msg);
    // Only the original copy is retried (a repeated copy is Shopee sending the same message twice, not a new chain).
    const delay = this.deps.retryDelaysMs()[attempt];
    if (fault === 'repeat' || delay === undefined || this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.track(this.deliver(msg, attempt + 1, fault));
    }, delay);
    this.timers.add(timer);
  }

  private markLost(msg: PushMessage): void {
    if (this.lostIds.has(msg.msgId)) return;
    this.lostIds.add(msg.msgId);
    this.deps.lost.add(msg, this.deps.clock.now());
  }

  private record(msg: PushMessage, a: Omit<PushAttempt, 'msgId' | 'code' | 'shopId' | 'body' | 'at'> & { at?: number }): void {
    this.attempts.push({
      msgId: msg.msgId,
      code: msg.code,
      ...(msg.shopId === undefined ? {} : { shopId: msg.shopId }),
      body: msg.body,
      ...a,
      at: a.at ?? this.deps.clock.now(),
    });
  }
}
