"""PDF rendering speed, in-process, no stack (the sample sale of local/driver/documents.py).

pdf.contract.ms                   our path: one 存量房买卖合同 rendered, warm, median
pdf.contract.stock_fpdf2.ms       the same document with fpdf2's stock `add_font` for each font, median
pdf.contract.ratio_to_stock_fpdf2 our median divided by the stock one (goal ≤ 0.5)

Both paths are sampled in interleaved rounds (ours, stock, ours, …) so that a change in machine
load between blocks lands on both sides (decision 35).
"""

from __future__ import annotations

import statistics
import time

ROUNDS = 15


def contract_renderer():
    from estate.documents.application import _render
    from estate.documents.pdf import Verification
    from local.driver.documents import sample_application, sample_facts

    application = sample_application()
    verification = Verification("ABCD-EFGH-JKLM-NPQR", "http://127.0.0.1:8000/verify/ABCDEFGHJKLMNPQR")
    render = _render("sale_contract", application, 1, {}, sample_facts())
    return lambda: render(verification)


def measure(rounds: int = ROUNDS) -> dict[str, float]:
    from local.functions import ensure_core_on_path

    ensure_core_on_path()
    from local.driver.documents import stock_fpdf2_fonts

    render = contract_renderer()
    render()  # warm: modules imported, fonts parsed
    with stock_fpdf2_fonts():
        render()
    ours, stock, size = [], [], 0
    for _ in range(rounds):
        started = time.perf_counter()
        size = len(render())
        ours.append((time.perf_counter() - started) * 1000)
        with stock_fpdf2_fonts():
            started = time.perf_counter()
            render()
            stock.append((time.perf_counter() - started) * 1000)
    ours_ms, stock_ms = statistics.median(ours), statistics.median(stock)
    return {"ours_ms": ours_ms, "stock_ms": stock_ms, "ratio": ours_ms / stock_ms, "kb": size / 1024}


def main() -> None:
    figures = measure()
    print(f"pdf.contract.ms {figures['ours_ms']:.1f} ms")
    print(f"pdf.contract.kb {figures['kb']:.1f} kB")
    print(f"pdf.contract.stock_fpdf2.ms {figures['stock_ms']:.1f} ms")
    print(f"pdf.contract.ratio_to_stock_fpdf2 {figures['ratio']:.2f}")


if __name__ == "__main__":
    main()
