// A step's save as one user action (shared/action.ts): taps while it runs are ignored; a refusal puts
// its message in the banner and its field details under the fields; a lost connection keeps the
// action's Idempotency-Key, so tapping again resends the same request and the API does it once.
import type { Ref } from "vue";

import { useAction } from "@/shared/action";

import { refusalOf } from "./api";
import { fieldErrors } from "@/shared/forms/errors";

export function useSave<A extends unknown[]>(
  run: (key: string, ...args: A) => Promise<unknown>,
  banner: Ref<string>,
  errors?: Ref<Record<string, string>>,
) {
  const action = useAction(async (key: string, ...args: A) => {
    try {
      await run(key, ...args);
    } catch (error) {
      const refusal = refusalOf(error);
      banner.value = refusal.message;
      if (errors) errors.value = fieldErrors(refusal);
      if (refusal.code === "NETWORK") throw error;
    }
  });
  function perform(...args: A): Promise<void> {
    banner.value = "";
    if (errors) errors.value = {};
    return action.perform(...args).then(() => undefined, () => undefined);
  }
  return { perform, pending: action.pending };
}
