// The desk's screens. Their first path segments are listed in local/webapp.py (DESK_ROUTES): /office/
// is shared with the office API, so the server answers only these with the desk's page.
import { createRouter, createWebHistory, type RouteRecordRaw } from "vue-router";

import { getToken } from "@/shared/session";

const routes: RouteRecordRaw[] = [
  { path: "/", name: "queue", component: () => import("./views/QueueView.vue"), meta: { title: "受理队列" } },
  {
    path: "/cases/:id", name: "case", component: () => import("./views/CaseView.vue"), props: true,
    meta: { title: "办件详情" },
  },
  {
    path: "/appointments", name: "appointments", component: () => import("./views/AppointmentsView.vue"),
    meta: { title: "今日预约" },
  },
  { path: "/publishing", name: "content", component: () => import("./views/ContentView.vue"), meta: { title: "内容发布" } },
  { path: "/trail", name: "audit", component: () => import("./views/AuditView.vue"), meta: { title: "操作日志" } },
  {
    path: "/signin", name: "signin", component: () => import("./views/SignInView.vue"),
    meta: { title: "工作人员登录", public: true },
  },
  {
    path: "/signin/callback", name: "signin-callback", component: () => import("./views/SignInCallbackView.vue"),
    meta: { title: "正在登录", public: true },
  },
  { path: "/:rest(.*)*", redirect: { name: "queue" } },
];

export const router = createRouter({ history: createWebHistory(import.meta.env.BASE_URL), routes });

export function signInRoute(back: string) {
  return { name: "signin", query: { back } };
}

router.beforeEach((to) => {
  if (!to.meta.public && !getToken()) return signInRoute(to.fullPath);
  return true;
});

router.afterEach((to) => {
  document.title = `${to.meta.title ?? "窗口受理工作台"} - 不动产登记窗口受理工作台`;
});
