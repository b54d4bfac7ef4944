// The bank desk (web/src/bank, the clerk desk's kit and shared code): served at /bank/ by the local
// stack (local/webapp.py serve_bank) beside the bank API; its hashed files under bank-assets/. A third
// entry rather than a route of the clerk's desk: its own base path, sign-in return address and header.
import { staffDesk } from "./vite.staff.mjs";

export default staffDesk("bank", "/bank/");
