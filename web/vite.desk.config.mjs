// The clerk's desk (web/src/desk): served at /office/ by the local stack (local/webapp.py serve_desk)
// beside the office API; its hashed files under desk-assets/.
import { staffDesk } from "./vite.staff.mjs";

export default staffDesk("desk", "/office/");
