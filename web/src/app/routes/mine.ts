import type { AreaRoutes } from "./types";

// 我的 (a tab root), 我的申请 and one application's details.
const routes: AreaRoutes = [
  { path: "/mine", name: "mine", component: () => import("../views/mine/MineView.vue"), meta: { title: "我的", tab: "mine" } },
  {
    path: "/mine/applications",
    name: "mine-applications",
    component: () => import("../views/mine/ApplicationsView.vue"),
    meta: { title: "我的申请" },
  },
  {
    path: "/mine/applications/:id",
    name: "mine-application",
    component: () => import("../views/mine/ApplicationView.vue"),
    props: true,
    meta: { title: "申请详情" },
  },
];

export default routes;
