// Vant 4 leaves a few ARIA gaps that axe-core reports as serious or critical: the popup overlay and
// close icon are unnamed buttons, a calendar's popup is an unnamed dialog, and its day grid has
// gridcells without rows. One observer fixes them wherever Vant renders them (popups teleport to
// <body>, calendar months render lazily), so no screen has to remember.
const FIXES: [selector: string, fix: (element: HTMLElement) => void][] = [
  [".van-overlay[role='button']:not([aria-label])", (e) => e.setAttribute("aria-label", "关闭弹窗")],
  [".van-popup__close-icon:not([aria-label])", (e) => e.setAttribute("aria-label", "关闭")],
  [
    ".van-popup[role='dialog']:not([aria-label]):not([aria-labelledby])",
    (e) => e.setAttribute("aria-label", e.querySelector(".van-calendar__header-title, .van-picker__title")?.textContent?.trim() || "弹窗"),
  ],
  [".van-calendar__days[role='grid']", (e) => e.setAttribute("role", "group")],
  [
    ".van-calendar__day[role='gridcell']",
    (e) => {
      const disabled = e.classList.contains("van-calendar__day--disabled");
      const empty = !e.textContent?.trim();
      if (empty) e.removeAttribute("role");
      else {
        e.setAttribute("role", "button");
        e.setAttribute("aria-disabled", String(disabled));
      }
    },
  ],
];

function fix(root: ParentNode): void {
  for (const [selector, apply] of FIXES) root.querySelectorAll<HTMLElement>(selector).forEach(apply);
}

export function installAriaFixes(): void {
  let scheduled = false;
  new MutationObserver(() => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      fix(document.body);
    });
  }).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["role"] });
  fix(document.body);
}
