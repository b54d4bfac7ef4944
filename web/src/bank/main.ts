import "element-plus/theme-chalk/base.css";
import "@/shared/staff-theme.css";

import { createApp } from "vue";

import { onUnauthorized } from "@/api/client";

import App from "./App.vue";
import { officerSignOut } from "./officer";
import { router, signInRoute } from "./router";

// An expired session: sign in again, then back to the same screen (what was typed is on the server
// once saved; a form being typed is lost, as with any expired session).
onUnauthorized(() => {
  const current = router.currentRoute.value;
  if (current.meta.public) return;
  officerSignOut();
  void router.replace(signInRoute(current.fullPath));
});

createApp(App).use(router).mount("#bank");
