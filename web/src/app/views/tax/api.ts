// 网上缴税's calls, typed by the generated schema through the shell's client, and the step that hands
// the payer to the provider's cashier (locally: the 支付宝 / 云闪付 simulators).
import { api, call, type Schemas } from "@/api/client";

export type TaxCase = Schemas["TaxCaseView"];
export type TaxItem = Schemas["TaxCaseItem"];
export type Order = Schemas["PaymentOrderView"];
export type Checkout = Schemas["PaymentCheckout"];
export type Scanned = Schemas["QrCheckoutView"];
export type Receipt = Schemas["TaxReceiptView"];
export type Channel = Schemas["PaymentForm"]["channel"];
export type Side = Schemas["PaymentForm"]["side"];

export const tax = {
  taxCase: (id: string) => call(api.GET("/applications/{id}/tax", { params: { path: { id } } })),
  pay: (body: Schemas["PaymentForm"], key: string) =>
    call(api.POST("/tax/payments", { body, headers: { "Idempotency-Key": key } })),
  order: (id: string) => call(api.GET("/tax/payments/{id}", { params: { path: { id } } })),
  mine: () => call(api.GET("/tax/payments")),
  receipt: (id: string) => call(api.GET("/tax/receipts/{id}", { params: { path: { id } } })),
  scanned: (token: string) => call(api.GET("/tax/pay/{token}", { params: { path: { token } } })),
  applications: () => call(api.GET("/applications")),
};

// A new order's cashier and QR code come only with its creation: kept for its screen in this tab.
const ORDER_KEY = "estate.tax.order.";

export function keepNewOrder(order: Order): void {
  sessionStorage.setItem(ORDER_KEY + order.order_id, JSON.stringify(order));
}

export function newOrder(id: string): Order | null {
  const kept = sessionStorage.getItem(ORDER_KEY + id);
  return kept ? (JSON.parse(kept) as Order) : null;
}

/** Hand the payer to the provider's cashier: a link (支付宝) or a form post (云闪付). `target` "_blank"
 * keeps this screen open to follow the result; the payer's own phone (他人扫码) goes in the same tab. */
export function openCashier(checkout: Checkout, target: "_blank" | "_self"): void {
  if (checkout.method === "GET") {
    if (target === "_self") window.location.assign(checkout.pay_url);
    else window.open(checkout.pay_url, "_blank", "noopener");
    return;
  }
  const form = document.createElement("form");
  form.method = "POST";
  form.action = checkout.url;
  form.target = target;
  form.acceptCharset = "UTF-8";
  for (const [name, value] of Object.entries(checkout.fields)) {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    form.append(input);
  }
  document.body.append(form);
  form.submit();
  form.remove();
}

export const CHANNELS: { value: Channel; text: string }[] = [
  { value: "unionpay", text: "云闪付" },
  { value: "alipay", text: "支付宝" },
];
