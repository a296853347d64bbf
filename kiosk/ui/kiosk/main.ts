/** The citizen kiosk (/): portrait touch screen, 1080 × 1920. */
import { byId } from "../shared/dom.ts"
import { createApp, type Screen } from "./app.ts"
import { closeDoor, done, old, open, opening } from "./screens/compartment.ts"
import { feedback, message, thanks } from "./screens/end.ts"
import { form } from "./screens/form.ts"
import { code, number } from "./screens/number.ts"
import { resume } from "./screens/resume.ts"
import { receipt, review, scan } from "./screens/scan.ts"
import { attract, card, services } from "./screens/start.ts"
import type { RouteName } from "./state.ts"

const screens: Record<RouteName, Screen> = {
  attract,
  card,
  services,
  number,
  code,
  old,
  opening,
  open,
  closeDoor,
  done,
  form,
  scan,
  review,
  receipt,
  feedback,
  thanks,
  message,
  resume
}

const root = byId("app")
if (root) createApp(root, screens).start()
