// One user action (a tap on 提交, 确认预约…): taps while it runs are ignored, and its Idempotency-Key is
// kept until it succeeds, so a retry after a lost answer is the same request to the API.
import { ref } from "vue";

import { newActionKey } from "@/api/client";

export function useAction<A extends unknown[], R>(run: (key: string, ...args: A) => Promise<R>) {
  const pending = ref(false);
  let key: string | null = null;
  async function perform(...args: A): Promise<R | undefined> {
    if (pending.value) return undefined;
    pending.value = true;
    key ??= newActionKey();
    try {
      const result = await run(key, ...args);
      key = null;
      return result;
    } finally {
      pending.value = false;
    }
  }
  /** Forget the key: the next tap is a new action (e.g. the person changed the form). */
  function reset(): void {
    key = null;
  }
  return { perform, pending, reset };
}
