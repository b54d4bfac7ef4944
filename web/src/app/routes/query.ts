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
  // 文件核验: the QR code on every issued PDF opens /verify/{code} on the API, which sends a browser here.
  {
    path: "/verify/:code?",
    name: "verify",
    component: () => import("../views/query/VerifyView.vue"),
    props: true,
    meta: { title: "文件核验", public: true },
  },
];

export default routes;
