import { ref, type Ref } from 'vue';

export interface ConfirmTarget<T> {
  /** What the confirmation is about; it stays set after the dialog closes, so the closing dialog keeps its text. */
  target: Ref<T | null>;
  /** The confirmation dialog is open (its v-model:visible). */
  visible: Ref<boolean>;
  /** Opens the confirmation about `t`. */
  ask(t: T): void;
}

/** The row or action a ConfirmActionDialog asks about, and whether it is open. */
export function useConfirmTarget<T>(): ConfirmTarget<T> {
  const target = ref<T | null>(null) as Ref<T | null>;
  const visible = ref(false);
  return {
    target,
    visible,
    ask(t: T): void {
      target.value = t;
      visible.value = true;
    },
  };
}
