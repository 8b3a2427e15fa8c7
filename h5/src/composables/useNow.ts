import { getCurrentScope, onScopeDispose, readonly, ref, type Ref } from 'vue';
import { COUNTDOWN_TICK_MS } from './cases';

/**
 * The current time for countdowns (售后's 剩 3 小时 12 分), brought up to date every 30 s by one timer that every
 * page and row on screen shares: it starts with the first user and stops when the last one's scope (the page)
 * goes away. Coming back to the app (the tab visible again) updates it at once rather than at the next tick.
 */
const now = ref(Date.now());
let users = 0;
let timer: ReturnType<typeof setInterval> | undefined;

const tick = () => (now.value = Date.now());
const onVisible = () => {
  if (typeof document !== 'undefined' && document.visibilityState === 'visible') tick();
};

function start(intervalMs: number): void {
  tick();
  timer = setInterval(tick, intervalMs);
  if (typeof document !== 'undefined') document.addEventListener('visibilitychange', onVisible);
}

function stop(): void {
  clearInterval(timer);
  timer = undefined;
  if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', onVisible);
}

export function useNow(intervalMs = COUNTDOWN_TICK_MS): Readonly<Ref<number>> {
  if (users++ === 0) start(intervalMs);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    if (--users === 0) stop();
  };
  if (getCurrentScope()) onScopeDispose(release);
  else release(); // outside a component or scope nobody would ever stop it: a snapshot only
  return readonly(now);
}

/** Whether the shared timer runs (tests). */
export const nowTicking = (): boolean => timer !== undefined;
