import type { AreaRoutes } from "./types";

// 个人查询: 须知, 范围, captcha, face, the result PDF.
const routes: AreaRoutes = [
  {
    path: "/query",
    name: "query",
    component: () => import("../views/query/QueryView.vue"),
    meta: { title: "不动产查询" },
  },
];

export default routes;
