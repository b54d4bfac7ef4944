// The app's routes: the shell's own (sign-in, not found) plus every area's module, concatenated.
// Each area owns routes/<area>.ts and views/<area>/ — add screens there, not here.
import { createRouter, createWebHistory, type RouteRecordRaw } from "vue-router";

import { getToken } from "@/shared/session";

import booking from "./routes/booking";
import home from "./routes/home";
import info from "./routes/info";
import mine from "./routes/mine";
import query from "./routes/query";
import sign from "./routes/sign";
import tax from "./routes/tax";
import transfer from "./routes/transfer";

const shell: RouteRecordRaw[] = [
  {
    path: "/signin",
    name: "signin",
    component: () => import("./views/signin/SignInView.vue"),
    meta: { title: "登录", public: true },
  },
  {
    path: "/signin/callback",
    name: "signin-callback",
    component: () => import("./views/signin/SignInCallbackView.vue"),
    meta: { title: "正在登录", public: true },
  },
  {
    path: "/:rest(.*)*",
    name: "not-found",
    component: () => import("./views/PlaceholderView.vue"),
    props: { hint: "没有找到这个页面", missing: true },
    meta: { title: "页面不存在", public: true },
  },
];

export const routes: RouteRecordRaw[] = [
  ...home, ...info, ...booking, ...query, ...transfer, ...sign, ...tax, ...mine, ...shell,
];

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
  scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
});

/** Where to send a person who must sign in first (and come back to `back` after). */
export function signInRoute(back: string) {
  return { name: "signin", query: { back } };
}

router.beforeEach((to) => {
  if (!to.meta.public && !getToken()) return signInRoute(to.fullPath);
  return true;
});

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} - 不动产登记` : "不动产登记";
});
