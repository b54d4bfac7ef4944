import "element-plus/theme-chalk/base.css";
import "@/shared/staff-theme.css";

import { createApp } from "vue";

import { onUnauthorized } from "@/api/client";

import App from "./App.vue";
import { router, signInRoute } from "./router";
import { staffSignOut } from "./staff";

// An expired session: sign in again, then back to the same screen (nothing is kept only in the page).
onUnauthorized(() => {
  const current = router.currentRoute.value;
  if (current.meta.public) return; // the sign-in pages themselves
  staffSignOut();
  void router.replace(signInRoute(current.fullPath));
});

createApp(App).use(router).mount("#desk");
