import type { AreaRoutes } from "./types";

// Placeholder until the tax area lands: its owner replaces this list (and only this file).
const routes: AreaRoutes = [
  {
    path: "/tax",
    name: "tax",
    component: () => import("../views/PlaceholderView.vue"),
    props: { hint: "查看并缴纳交易税费" },
    meta: { title: "网上缴税" },
  },
];

export default routes;
