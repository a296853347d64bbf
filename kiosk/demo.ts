/**
 * The demo a newcomer meets after `npm start`: a staff account and a few
 * documents loaded into compartments through the real loading workflow, the
 * twin's hands putting them in and shutting the doors.
 */
import { Effect } from "effect"
import { DocumentKind, PhoneNumber } from "../core/domain/values.ts"
import { OrdersRepo } from "../core/persistence/OrdersRepo.ts"
import { Loading } from "../core/workflows/Loading.ts"
import { StaffAuth } from "../core/workflows/StaffAuth.ts"
import { LockerTwin } from "../hardware-sim/behavioural/index.ts"

export const DEMO_USER = "demo"
export const DEMO_PASSWORD = "amtomat-demo"

const demoOrders = [
  { documentKind: "id-card", phone: "+4915100000001", requiresOldDocument: true },
  { documentKind: "passport", phone: "+4915100000002", requiresOldDocument: false },
  { documentKind: "id-card", phone: "+4915100000003", requiresOldDocument: true }
] as const

export const seedDemo = Effect.gen(function*() {
  const auth = yield* StaffAuth
  const loading = yield* Loading
  const orders = yield* OrdersRepo
  const twin = yield* LockerTwin.LockerTwin
  if ((yield* auth.count) === 0) yield* auth.create(DEMO_USER, "Demo-Leitung", "supervisor", DEMO_PASSWORD)
  const staff = yield* auth.login(DEMO_USER, DEMO_PASSWORD)
  const existing = yield* orders.list({})
  if (existing.length > 0) return existing.filter((o) => o.status === "loaded" || o.status === "reminded")
  const loaded = []
  for (const o of demoOrders) {
    const order = yield* loading.announce({
      documentKind: DocumentKind.make(o.documentKind),
      phone: PhoneNumber.make(o.phone),
      requiresOldDocument: o.requiresOldDocument,
      size: "S",
      preferBand: null
    })
    const c = yield* loading.startLoad(order.id)
    yield* twin.putItem(c.channel)
    yield* twin.close(c.channel)
    loaded.push(yield* loading.confirmLoad(order.id, staff.staff.id))
  }
  return loaded
})
