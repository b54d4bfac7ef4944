// The booking proof's QR text (estate.booking.views.proof_payload): "YQBDC-BOOKING|<booking id>|<code>".
// A handheld scanner types it into the focused field and presses Enter; a clerk may also type the
// booking number the person reads out.
const PREFIX = "YQBDC-BOOKING";

export interface ScannedProof {
  bookingId: string;
  code: string;
}

/** The booking a scanned text stands for, or null when it is not a booking proof. */
export function parseProof(text: string): ScannedProof | null {
  const parts = text.trim().split("|");
  if (parts.length !== 3 || parts[0] !== PREFIX || !parts[1] || !parts[2]) return null;
  return { bookingId: parts[1], code: parts[2] };
}
