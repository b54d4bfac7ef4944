// One application loaded for a step's screen: the screen reads it, saves its step and gets the new
// state back (every step's answer is the whole application). A screen opened before its turn (a
// bookmarked or typed URL) is sent to the step the application is at.
import { computed, onMounted, ref } from "vue";
import { useRoute, useRouter } from "vue-router";

import { api, refusalOf, type Application } from "./api";
import { type Business, type Step, stepFor, stepIndex } from "./steps";

export function useCase(step: Step) {
  const route = useRoute();
  const router = useRouter();
  const id = computed(() => String(route.params.id));
  const application = ref<Application | null>(null);
  const banner = ref("");
  const loading = ref(true);
  const business = computed<Business>(() => (application.value?.business === "loan-sale" ? "loan-sale" : "sale"));

  async function load(): Promise<Application | null> {
    try {
      application.value = await api.application(id.value);
      return application.value;
    } catch (error) {
      banner.value = refusalOf(error).message;
      return null;
    } finally {
      loading.value = false;
    }
  }

  /** Open a step's screen of this application. */
  function goTo(target: Step): Promise<unknown> {
    return router.push({ name: `transfer-${target}`, params: { id: id.value } });
  }

  onMounted(async () => {
    const loaded = await load();
    if (!loaded) return;
    const at = stepFor(business.value, loaded.status);
    // Later steps than the application has reached are not open yet; earlier ones stay editable.
    if (stepIndex(business.value, step) > stepIndex(business.value, at)) await router.replace({
      name: `transfer-${at}`, params: { id: id.value },
    });
  });

  return { id, application, banner, loading, business, load, goTo };
}
