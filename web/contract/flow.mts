/**
 * The app's client as a generator makes it: types from docs/openapi.json (openapi-typescript, into
 * api.d.ts) and a typed fetch (openapi-fetch). `tsc --noEmit` over this file is the build check: a
 * change to the document that breaks what an app developer writes here (a path, a parameter, a body
 * field, an answer field, an enum value) fails it. Run against a local stack (python -m local.server):
 *
 *   ESTATE_BASE_URL=http://127.0.0.1:8000 ESTATE_CITIZEN_TOKEN=… node build/flow.mjs
 *
 * Public reference → slots → tax estimate, then as a citizen: captcha → book → show → cancel, and
 * (with ESTATE_LOOKUP, a seller's name, ID number, certificate number and outlet as JSON) the lookup
 * of the unit a sale starts from; with ESTATE_SALE too (the seller's token, the seller and a buyer as the
 * register has them) the seller starts the sale: liveness session (answered "live" on the local
 * simulated page) → face check → start → parties → contract.
 * Prints one JSON line of what it saw; any refusal or surprise is an exit code of 1.
 */
import createClient from "openapi-fetch";

import type { components, paths } from "./api.js";

declare const process: { env: Record<string, string | undefined>; exitCode?: number };

type Booking = components["schemas"]["Booking"];
type LookupForm = NonNullable<paths["/properties/search"]["post"]["requestBody"]>["content"]["application/json"];
type Person = components["schemas"]["PersonForm"];
type Application = components["schemas"]["ApplicationView"];
type SaleInput = { token: string; seller: Person; buyer: Person };

function check(condition: unknown, what: string): asserts condition {
  if (!condition) throw new Error(what);
}

function fail(step: string, error: unknown): never {
  throw new Error(`${step}: ${JSON.stringify(error)}`);
}

const baseUrl = process.env.ESTATE_BASE_URL ?? "http://127.0.0.1:8000";
const api = createClient<paths>({ baseUrl });

async function publicFlow() {
  const outlets = await api.GET("/outlets");
  if (!outlets.data) fail("GET /outlets", outlets.error);
  const outlet = outlets.data.outlets[0];
  check(outlet && outlet.name, "an outlet with a name");

  const types = await api.GET("/business-types");
  if (!types.data) fail("GET /business-types", types.error);
  const business = types.data.business_types.find((b) => b.bookable && b.code !== "query");
  check(business, "a bookable business type");

  const slots = await api.GET("/booking/slots", { params: { query: { outlet: outlet.code, business: business.code } } });
  if (!slots.data) fail("GET /booking/slots", slots.error);
  const open = slots.data.slots.find((s) => s.remaining > 0);
  check(open, "an open half-day");
  const period: "am" | "pm" = open.period;

  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10); // Beijing date
  const estimate = await api.POST("/tax/estimate", {
    body: { transaction_date: today, price: "520000.00", area_m2: "89.50", buyer_family_homes_before: 0,
            seller_years_held: 6, seller_family_only_home: true, pit_method: "deemed", city_tier: "urban" },
  });
  if (!estimate.data) fail("POST /tax/estimate", estimate.error);
  const buyerTotal: string | undefined = estimate.data.totals["buyer"];
  check(estimate.data.items.length > 0, "tax items");

  return { outlet: outlet.code, outletName: outlet.name, business: business.code, date: open.date, period,
           periodLabel: open.period_label, buyerTotal };
}

async function citizenFlow(token: string, slot: { outlet: string; business: string; date: string; period: "am" | "pm" }) {
  const headers = { Authorization: `Bearer ${token}` };
  const captcha = await api.POST("/captchas", { headers });
  if (!captcha.data) fail("POST /captchas", captcha.error);
  check(captcha.data.image.startsWith("data:image/png"), "a captcha image");
  // The local stack's reveal route (not part of the contract) reads the picture, as a person would.
  const revealed = await fetch(`${baseUrl}/_dev/captchas/${captcha.data.captcha_id}`);
  const { answer } = (await revealed.json()) as { answer: string };

  const booked = await api.POST("/bookings", {
    headers,
    body: { ...slot, captcha_id: captcha.data.captcha_id, captcha_answer: answer, notice_accepted: true },
  });
  if (!booked.data) fail("POST /bookings", booked.error);
  const booking: Booking = booked.data;
  check(booking.status === "booked" && booking.proof, "a booked booking with its proof");

  const shown = await api.GET("/bookings/{id}", { headers, params: { path: { id: booking.id } } });
  if (!shown.data) fail("GET /bookings/{id}", shown.error);
  check(shown.data.proof?.verification_code === booking.proof.verification_code, "the same proof");

  const mine = await api.GET("/bookings", { headers });
  if (!mine.data) fail("GET /bookings", mine.error);
  check(mine.data.bookings.some((b) => b.id === booking.id), "the booking in my list");

  const cancelled = await api.DELETE("/bookings/{id}", { headers, params: { path: { id: booking.id } } });
  if (!cancelled.data) fail("DELETE /bookings/{id}", cancelled.error);
  const status: Booking["status"] = cancelled.data.status;
  check(status === "cancelled", "cancelled");

  // A refusal is typed too: the one error body, with its field details.
  const refused = await api.POST("/bookings", { headers, body: { ...slot, captcha_id: "cap_none", captcha_answer: "0000",
                                                                  notice_accepted: true } });
  check(refused.error && refused.response.status === 400, "a wrong captcha is a 400");
  const codes: string[] = refused.error.details.map((d) => d.code);

  return { booking: booking.number, statusLabel: cancelled.data.status_label, refusal: refused.error.code, codes };
}

async function lookupFlow(token: string, form: LookupForm) {
  const found = await api.POST("/properties/search", { headers: { Authorization: `Bearer ${token}` }, body: form });
  if (!found.data) fail("POST /properties/search", found.error);
  const unit = found.data.units?.[0];
  check(unit && unit.unit_number, "the seller's unit");
  const eligible: boolean | undefined = unit.eligible;
  return { unit: unit.unit_number, eligible, holdingMode: unit.holding_mode_label, owners: unit.owners?.length ?? 0 };
}

async function saleFlow(sale: SaleInput, unit: { outlet: string; unit: string }) {
  const headers = { Authorization: `Bearer ${sale.token}` };
  const liveness = await api.POST("/identity/liveness-sessions", { headers, body: { purpose: "apply", return_to: "/" } });
  if (!liveness.data) fail("POST /identity/liveness-sessions", liveness.error);
  const page = new URL(liveness.data.url ?? fail("liveness url", liveness.data));
  const answered = await fetch(new URL(page.pathname, baseUrl), {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ outcome: "live" }),
  });
  check(answered.ok, "the simulated liveness page answered");
  const face = await api.POST("/identity/face-checks", { headers, body: { session: liveness.data.session } });
  if (!face.data) fail("POST /identity/face-checks", face.error);

  const started = await api.POST("/applications", {
    headers, params: { header: { "Idempotency-Key": `flow-${unit.unit}` } },
    body: { business: "sale", role: "seller", outlet: unit.outlet, unit: unit.unit, face_check: face.data.face_check,
            notice_accepted: true },
  });
  if (!started.data) fail("POST /applications", started.error);
  const draft: Application = started.data;
  check(draft.status === "DRAFT" && draft.is_initiator, "a draft I started");
  const path = { id: draft.id };

  // A refusal's code is one of the codes the document lists for that operation and status.
  const early = await api.PUT("/applications/{id}/contract", { headers, params: { path }, body: contract() });
  check(early.error && early.response.status === 409, "the contract before the parties is refused");
  const outOfOrder: "STEP_OUT_OF_ORDER" | "WRONG_STATE" | string = early.error.code;

  const parties = await api.PUT("/applications/{id}/parties", {
    headers, params: { path },
    body: { sellers: [sale.seller], buyers: [sale.buyer], holding: { mode: "single" } },
  });
  if (!parties.data) fail("PUT /applications/{id}/parties", parties.error);
  const holding: "single" | "joint" | "shares" | undefined = parties.data.parties?.holding.mode;
  check(parties.data.parties?.buyers[0]?.name === sale.buyer.name, "the buyer saved");

  const signed = await api.PUT("/applications/{id}/contract", { headers, params: { path }, body: contract() });
  if (!signed.data) fail("PUT /applications/{id}/contract", signed.error);
  const saved = signed.data.contract;
  check(saved && saved.price === "520000.00" && saved.price_in_words, "the contract saved, with the price in words");
  return { id: draft.id, status: signed.data.status, statusLabel: signed.data.status_label, holding,
           priceInWords: saved.price_in_words, refusal: outOfOrder };
}

function contract(): components["schemas"]["ContractForm"] {
  const day = (offset: number) => new Date(Date.now() + 8 * 3600_000 + offset * 86400_000).toISOString().slice(0, 10);
  return {
    price: "520000.00", deposit: "20000.00", payment_method: "lump_sum",
    payment_schedule: [{ stage: "定金", amount: "20000.00", due_date: day(1) },
                       { stage: "尾款", amount: "500000.00", due_date: day(20) }],
    delivery_date: day(30), registration_deadline: day(60), handover: "交付钥匙2把，水电气表读数结清",
    taxes_borne_by: "statutory", dispute_resolution: { method: "arbitration", commission: "阳泉仲裁委员会" },
    house: { fixtures: "厨房橱柜、热水器", lease_status: "未出租" },
  };
}

async function main() {
  const seen: Record<string, unknown> = { public: await publicFlow() };
  const token = process.env.ESTATE_CITIZEN_TOKEN;
  if (token) {
    const p = seen.public as Awaited<ReturnType<typeof publicFlow>>;
    seen.citizen = await citizenFlow(token, { outlet: p.outlet, business: p.business, date: p.date, period: p.period });
    const lookup = process.env.ESTATE_LOOKUP;
    if (lookup) {
      const form = JSON.parse(lookup) as LookupForm;
      seen.lookup = await lookupFlow(token, form);
      const sale = process.env.ESTATE_SALE;
      if (sale) {
        const unit = (seen.lookup as { unit: string }).unit;
        seen.sale = await saleFlow(JSON.parse(sale) as SaleInput, { outlet: form.outlet, unit });
      }
    }
  }
  console.log(JSON.stringify(seen));
}

main().catch((error: unknown) => {
  console.error(String(error instanceof Error ? error.message : error));
  process.exitCode = 1;
});
