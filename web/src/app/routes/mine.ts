import type { AreaRoutes } from "./types";

// Placeholder until the mine area lands: its owner replaces this list (and only this file).
const routes: AreaRoutes = [
  {
    path: "/mine",
    name: "mine",
    component: () => import("../views/PlaceholderView.vue"),
    props: { hint: "我的申请、我的预约" },
    meta: { title: "我的", tab: "mine" },
  },
];

export default routes;
