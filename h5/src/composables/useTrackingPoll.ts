import { onScopeDispose, ref, watch } from 'vue';
import { TRACKING_POLL_DELAYS } from './orders';

/**
 * After 发货 the marketplace takes a while to give the tracking number: while `waiting()` holds, `refresh()`
 * runs again after 2 s, 4 s, 8 s … at most 30 s apart, for about two minutes (composables/orders.ts
 * `backoffDelays`). `gaveUp` is set when the time is over and it is still waiting; `restart()` tries again.
 * Stops when waiting ends and when the page (its effect scope) goes away.
 */
export function useTrackingPoll(waiting: () => boolean, refresh: () => Promise<void>, delays: readonly number[] = TRACKING_POLL_DELAYS) {
  const polling = ref(false);
  const gaveUp = ref(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let step = 0;
  let run = 0;

  function stop(): void {
    clearTimeout(timer);
    timer = undefined;
    run++;
    polling.value = false;
  }

  function schedule(mine: number): void {
    const delay = delays[step++];
    if (delay === undefined) {
      polling.value = false;
      gaveUp.value = true;
      return;
    }
    timer = setTimeout(() => {
      timer = undefined;
      void refresh()
        .catch(() => undefined)
        .then(() => {
          if (mine !== run) return;
          if (waiting()) schedule(mine);
          else stop();
        });
    }, delay);
  }

  function restart(): void {
    stop();
    step = 0;
    gaveUp.value = false;
    polling.value = true;
    schedule(run);
  }

  watch(
    waiting,
    (now) => {
      if (now && !polling.value && !gaveUp.value) restart();
      else if (!now) {
        stop();
        gaveUp.value = false;
      }
    },
    { immediate: true },
  );
  onScopeDispose(stop);

  return { polling, gaveUp, restart };
}
