import type { AreaRoutes } from "./types";

const routes: AreaRoutes = [
  {
    path: "/",
    name: "home",
    component: () => import("../views/home/HomeView.vue"),
    meta: { title: "不动产登记", public: true, tab: "home" },
  },
];

export default routes;
