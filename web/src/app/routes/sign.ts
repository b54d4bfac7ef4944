import type { AreaRoutes } from "./types";

// 签署: the screen each party's SMS link opens (/sign/{token} on the API redirects here; the token is
// the credential, no sign-in), and the initiator's 签署状态 of an application.
const routes: AreaRoutes = [
  {
    path: "/sign/:token",
    name: "sign-link",
    component: () => import("../views/sign/SigningView.vue"),
    props: true,
    meta: { title: "电子签署", public: true },
  },
  {
    path: "/applications/:id/signing",
    name: "signing-status",
    component: () => import("../views/sign/SigningStatusView.vue"),
    props: true,
    meta: { title: "签署状态" },
  },
  // 签署 from elsewhere in the app: each party signs from their SMS link; the case lists the status.
  { path: "/sign", name: "sign", redirect: { name: "mine-applications" } },
];

export default routes;
