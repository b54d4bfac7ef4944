// The bank desk's screens. Their first path segments are listed in local/webapp.py (BANK_ROUTES): /bank/
// is shared with the bank API, so the server answers only these with the desk's page.
import { createRouter, createWebHistory } from "vue-router";

import { finishOfficerSignIn, officerSignedIn, startOfficerSignIn } from "./officer";

// The clerk desk's sign-in pages, with the bank desk's start and finish (desk "bank", officers only).
const signInPage = () => import("../desk/views/SignInView.vue");
const callbackPage = () => import("../desk/views/SignInCallbackView.vue");

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes: [
    { path: "/", name: "queue", component: () => import("./views/QueueView.vue"), meta: { title: "推送到本网点的贷款买卖" } },
    {
      path: "/cases/:id", name: "case", component: () => import("./views/CaseView.vue"), props: true,
      meta: { title: "协办申请" },
    },
    {
      path: "/signin", name: "signin", component: signInPage, meta: { title: "信贷人员登录", public: true },
      props: {
        heading: "信贷人员登录", start: startOfficerSignIn,
        note: "贷款银行信贷人员请使用登记中心统一身份认证账号登录。登录后回到您刚才所在的页面。",
      },
    },
    {
      path: "/signin/callback", name: "signin-callback", component: callbackPage, props: { finish: finishOfficerSignIn },
      meta: { title: "正在登录", public: true },
    },
    { path: "/:rest(.*)*", redirect: { name: "queue" } },
  ],
});

export function signInRoute(back: string) {
  return { name: "signin", query: { back } };
}

router.beforeEach((to) => {
  if (!to.meta.public && !officerSignedIn()) return signInRoute(to.fullPath);
  return true;
});

router.afterEach((to) => {
  document.title = `${to.meta.title ?? "贷款银行协办工作台"} - 贷款银行协办工作台`;
});
