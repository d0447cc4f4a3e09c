import { effectScope, nextTick, type EffectScope } from 'vue';

/** Helpers for the composables' tests (not a test file itself). */

/** An answer the test hands out when it wants, to order replies the way a slow network would. */
export function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets the watchers and the awaited answers of a few ticks run. */
export const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await nextTick();
};

const scopes: EffectScope[] = [];

/** Runs a composable in an effect scope of its own (as a component would), stopped by `stopScopes`. */
export function inScope<T>(run: () => T): T {
  const scope = effectScope();
  scopes.push(scope);
  return scope.run(run)!;
}

/** Stops every scope `inScope` opened (its polls and watchers): call it after each test. */
export function stopScopes(): void {
  scopes.splice(0).forEach((s) => s.stop());
}
