import type { AreaRoutes } from "./types";

// 网上缴税: the cases to pay and 完税信息, one case (须知, channel, 合并 / 单笔 / 他人扫码), an order being
// paid, a receipt, and the cashier screen a scanned QR code opens on the payer's phone (no sign-in;
// /tax/pay/{token} on the API redirects a browser here).
const routes: AreaRoutes = [
  { path: "/tax", name: "tax", component: () => import("../views/tax/TaxHomeView.vue"), meta: { title: "网上缴税" } },
  {
    path: "/tax/:id",
    name: "tax-case",
    component: () => import("../views/tax/TaxCaseView.vue"),
    props: true,
    meta: { title: "网上缴税" },
  },
  {
    path: "/tax/orders/:orderId",
    name: "tax-order",
    component: () => import("../views/tax/TaxOrderView.vue"),
    props: true,
    meta: { title: "缴款" },
  },
  {
    path: "/tax/receipts/:orderId",
    name: "tax-receipt",
    component: () => import("../views/tax/TaxReceiptView.vue"),
    props: true,
    meta: { title: "完税凭证" },
  },
  {
    path: "/pay/:token",
    name: "tax-pay",
    component: () => import("../views/tax/PayView.vue"),
    props: true,
    meta: { title: "扫码缴税", public: true },
  },
];

export default routes;
