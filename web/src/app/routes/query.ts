import type { AreaRoutes } from "./types";

// 个人不动产登记信息查询: 须知 → 网点与范围 → 申请人信息 + captcha → 人脸识别 → the result and its PDF.
const routes: AreaRoutes = [
  {
    path: "/query",
    name: "query",
    component: () => import("../views/query/QueryView.vue"),
    meta: { title: "个人不动产登记信息查询" },
  },
  {
    path: "/query/:id",
    name: "query-result",
    component: () => import("../views/query/QueryResultView.vue"),
    props: true,
    meta: { title: "查询结果" },
  },
];

export default routes;
