import "vant/es/style/base.css";

import { createApp } from "vue";

import { onUnauthorized } from "@/api/client";
import { installAriaFixes } from "@/shared/a11y";
import { signOut } from "@/shared/session";

import App from "./App.vue";
import { router, signInRoute } from "./router";

// An expired or refused session: forget the token and sign in again, then back to this screen
// (each step's data is saved server-side, so nothing typed before the last save is lost).
onUnauthorized(() => {
  const current = router.currentRoute.value;
  if (current.name === "signin") return;
  signOut();
  void router.replace(signInRoute(current.fullPath));
});

createApp(App).use(router).mount("#app");
installAriaFixes();
