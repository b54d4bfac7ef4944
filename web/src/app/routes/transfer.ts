import type { AreaRoutes } from "./types";

// Placeholder until the transfer area lands: its owner replaces this list (and only this file).
const routes: AreaRoutes = [
  {
    path: "/transfer",
    name: "transfer",
    component: () => import("../views/PlaceholderView.vue"),
    props: { hint: "二手房转移登记（买卖、贷款买卖）" },
    meta: { title: "业务办理" },
  },
];

export default routes;
