import { getCurrentInstance, onMounted, onScopeDispose } from 'vue';

export interface Poller {
  /** Runs the poll now (and restarts the interval). */
  refresh(): Promise<void>;
  stop(): void;
}

/**
 * Runs `tick` every `intervalMs` while the component lives, never two at once, and not while
 * the page is hidden (it runs as soon as the page is visible again). With `getFresh` an
 * unchanged resource costs a 304 and no re-render.
 */
export function usePoll(
  tick: () => Promise<unknown>,
  intervalMs: number,
  options: { immediate?: boolean } = {},
): Poller {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | null = null;
  let stopped = false;

  const schedule = () => {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(() => void run(), intervalMs);
  };

  function run(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (pageHidden()) {
      schedule();
      return Promise.resolve();
    }
    running ??= (async () => {
      try {
        await tick();
      } catch (err) {
        // a tick keeps its own error state for the screen; this one escaped it, and the next tick tries again
        console.warn('poll failed', err);
      } finally {
        running = null;
        schedule();
      }
    })();
    return running;
  }

  const onVisible = () => {
    if (!pageHidden()) void run();
  };
  const start = () => {
    if (typeof document !== 'undefined') document.addEventListener('visibilitychange', onVisible);
    if (options.immediate) void run();
    else schedule();
  };

  // in a component it starts when mounted; in a bare effect scope (a composable's test) at once
  if (getCurrentInstance()) onMounted(start);
  else start();
  onScopeDispose(() => {
    stopped = true;
    clearTimeout(timer);
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', onVisible);
  });

  return {
    refresh: () => (running ? running.then(() => run()) : run()),
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

const pageHidden = () => typeof document !== 'undefined' && document.visibilityState === 'hidden';

/** How often each kind of screen asks again. Rollouts move in seconds in a demo, so their pages ask often. */
export const POLL_MS = {
  plans: 2000,
  flags: 5000,
  detail: 4000,
  inbox: 10000,
  settings: 15000,
} as const;
