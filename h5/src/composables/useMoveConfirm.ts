import { ref } from 'vue';
import type { TaskMove } from '@shopcrew/shared';

/**
 * The question a move asks before it is made (components/projects/MoveConfirm.vue shows it): 把「主图设计」调整到
 * 11-03 → 11-06？ and 将同时移动 N 个后续任务 with each one's new days. `ask()` answers true for 确认移动; asking again
 * while one is open answers that one no.
 */
export function useMoveConfirm() {
  const open = ref(false);
  const heading = ref('');
  const followers = ref<TaskMove[]>([]);
  let resolve: ((ok: boolean) => void) | null = null;

  function ask(list: TaskMove[], title = ''): Promise<boolean> {
    resolve?.(false);
    followers.value = list;
    heading.value = title;
    open.value = true;
    return new Promise<boolean>((r) => (resolve = r));
  }

  function answer(ok: boolean): void {
    open.value = false;
    const r = resolve;
    resolve = null;
    r?.(ok);
  }

  return { open, heading, followers, ask, answer };
}

export type MoveConfirmController = ReturnType<typeof useMoveConfirm>;
