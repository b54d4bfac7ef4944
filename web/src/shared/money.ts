// Amounts travel as decimal strings of yuan ("520000.00"); people read them with two decimals and,
// where the law asks for it (contracts, receipts), in 大写.
const DIGITS = "零壹贰叁肆伍陆柒捌玖";
const SMALL_UNITS = ["", "拾", "佰", "仟"];
const BIG_UNITS = ["", "万", "亿", "万亿"];

function parse(amount: string | number): { yuan: string; fen: string } | null {
  const text = typeof amount === "number" ? amount.toFixed(2) : amount.trim();
  const match = /^(\d{1,15})(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return null;
  return { yuan: match[1]!.replace(/^0+(?=\d)/, ""), fen: (match[2] ?? "").padEnd(2, "0") };
}

/** "¥520,000.00"; the text as given when it is not an amount. */
export function formatYuan(amount: string | number | null | undefined): string {
  if (amount === null || amount === undefined || amount === "") return "";
  const parsed = parse(amount);
  if (!parsed) return String(amount);
  return `¥${parsed.yuan.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${parsed.fen}`;
}

function fourDigits(group: string): string {
  let out = "";
  let zero = false;
  const digits = group.padStart(4, "0");
  for (let i = 0; i < 4; i++) {
    const d = Number(digits[i]);
    if (d === 0) {
      zero = out !== "";
    } else {
      out += (zero ? "零" : "") + DIGITS[d] + SMALL_UNITS[3 - i];
      zero = false;
    }
  }
  return out;
}

/** 大写 of an amount in yuan: "520000.00" → "人民币伍拾贰万元整"; "" when it is not an amount. */
export function yuanInWords(amount: string | number): string {
  const parsed = parse(amount);
  if (!parsed) return "";
  const { yuan, fen } = parsed;
  let integer = "";
  const groups: string[] = [];
  for (let end = yuan.length; end > 0; end -= 4) groups.unshift(yuan.slice(Math.max(0, end - 4), end));
  let pendingZero = false;
  groups.forEach((group, index) => {
    const unit = BIG_UNITS[groups.length - 1 - index] ?? "";
    const value = Number(group);
    if (value === 0) {
      pendingZero = integer !== "";
      return;
    }
    if (integer !== "" && (pendingZero || group.padStart(4, "0")[0] === "0")) integer += "零";
    integer += fourDigits(group) + unit;
    pendingZero = false;
  });
  const jiao = Number(fen[0]);
  const cent = Number(fen[1]);
  let fraction = "";
  if (jiao) fraction += DIGITS[jiao] + "角";
  if (cent) fraction += (integer && !jiao ? "零" : "") + DIGITS[cent] + "分";
  if (!integer && !fraction) return "人民币零元整";
  return `人民币${integer ? integer + "元" : ""}${fraction || "整"}`;
}
