import type { AreaRoutes } from "./types";

// 预约: business type, outlet, working-day calendar, half-day slot, captcha, confirm; 我的预约.
const routes: AreaRoutes = [
  {
    path: "/booking",
    name: "booking",
    component: () => import("../views/booking/BookingView.vue"),
    meta: { title: "预约办理" },
  },
];

export default routes;
