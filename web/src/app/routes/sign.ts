import type { AreaRoutes } from "./types";

// Placeholder until the sign area lands: its owner replaces this list (and only this file).
const routes: AreaRoutes = [
  {
    path: "/sign",
    name: "sign",
    component: () => import("../views/PlaceholderView.vue"),
    props: { hint: "在手机上签署合同与申请材料" },
    meta: { title: "签署" },
  },
];

export default routes;
