"""Issued documents: PDFs with an embedded Chinese font, a verification code and a QR code,
stored privately in S3 and registered so that anyone can check them at GET /verify/{code}.

    fonts.py    where the pre-subset font and its full fallback are (Lambda layer, build/, Debian)
    pdf.py      ChineseDocument: an A4 page builder on fpdf2 (imported only when rendering)
    issue.py    issue(): code → render → SHA-256 → S3 → registry; download URLs; revoke; verify
Tax receipts use it first; the application documents, signed packets and query certificates
reuse it unchanged.
"""
