import type { AreaRoutes } from "./types";

// 预约: business type, outlet, working-day calendar, half-day with places left, captcha, 须知, submit;
// 我的预约 (list) and one booking with its QR proof, cancel, add to calendar.
const routes: AreaRoutes = [
  {
    path: "/booking",
    name: "booking",
    component: () => import("../views/booking/BookingView.vue"),
    meta: { title: "窗口业务办理预约" },
  },
  {
    path: "/booking/mine",
    name: "booking-mine",
    component: () => import("../views/booking/MyBookingsView.vue"),
    meta: { title: "我的预约" },
  },
  {
    path: "/booking/mine/:id",
    name: "booking-detail",
    component: () => import("../views/booking/BookingDetailView.vue"),
    props: true,
    meta: { title: "预约详情" },
  },
];

export default routes;
