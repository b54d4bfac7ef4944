import type { AreaRoutes } from "./types";

// 政策 / 指南 / 常见问题 (public, with search).
const routes: AreaRoutes = [
  {
    path: "/info/:kind(policies|guides|faqs)",
    name: "info",
    component: () => import("../views/info/InfoListView.vue"),
    meta: { title: "办事指南", public: true },
  },
];

export default routes;
