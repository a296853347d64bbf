/**
 * The twin panel: the citizen's hands (bank card, phone, intake slot,
 * compartment doors, scanner) and the hardware's insides (faults).
 */
import { h } from "../shared/dom.ts"
import type { Result } from "../shared/http.ts"
import { type LockT, type SmsT, twinApi, type TwinStateT } from "./api.ts"
import { btn, choice, fact, section } from "./parts.ts"

export interface PanelModel {
  state: TwinStateT | null
  inbox: ReadonlyArray<SmsT>
  phone: string
  cardLabel: string
  pages: number
  error: string | null
  live: boolean
}

type Act = (run: () => Promise<Result<void>>) => void

const lockView = (l: LockT, act: Act) => {
  const id = `slot-${l.slot}`
  const name = l.slot === "intake" ? "Intake slot (old documents)" : `Compartment ${l.slot}`
  const sensed = l.stuckSensor ?? l.item
  return h(
    "li",
    { class: `lock${l.doorOpen ? " open" : ""}`, id },
    h("h3", null, name),
    fact(l.slot === "intake" ? "Flap" : "Door", l.boardOnline ? (l.doorOpen ? "open" : "closed") : "board offline", l.doorOpen ? "warn" : "ok"),
    fact("Inside", l.item ? "a document" : "empty"),
    (l.jammed || l.stuckSensor !== null) &&
      fact(
        "Fault",
        [l.jammed ? "lock jammed" : "", l.stuckSensor !== null ? `sensor stuck at ${sensed ? "full" : "empty"}` : ""].filter((x) => x).join(", "),
        "warn"
      ),
    h(
      "div",
      { class: "row" },
      btn(`${id}-put`, l.slot === "intake" ? "Drop old document" : "Put document", () => act(() => twinApi.put(l.slot)), !l.doorOpen || l.item),
      btn(`${id}-take`, "Take document", () => act(() => twinApi.take(l.slot)), !l.doorOpen || !l.item),
      btn(`${id}-close`, l.slot === "intake" ? "Close flap" : "Close door", () => act(() => twinApi.close(l.slot)), !l.doorOpen)
    ),
    h(
      "details",
      null,
      h("summary", null, "Faults"),
      h(
        "div",
        { class: "row" },
        btn(`${id}-jam`, l.jammed ? "Free the lock" : "Jam the lock", () => act(() => twinApi.jam(l.slot, !l.jammed)), false, "danger"),
        choice(`${id}-sensor`, "Item sensor", l.stuckSensor === null ? "ok" : l.stuckSensor ? "full" : "empty", [["ok", "working"], ["full", "stuck: full"], [
          "empty",
          "stuck: empty"
        ]], (v) => act(() => twinApi.sensor(l.slot, v === "ok" ? null : v === "full")))
      )
    )
  )
}

export const panel = (m: PanelModel, act: Act, refreshInbox: () => void) => {
  const s = m.state
  if (s === null) return [h("p", { role: "status" }, "Connecting to the terminal …")]
  const phones = [...new Set(m.inbox.map((x) => x.to))]
  const messages = m.inbox.filter((x) => m.phone === "" || x.to === m.phone).slice().reverse()
  const intake = s.locks.find((l) => l.slot === "intake")
  const compartments = s.locks.filter((l) => l.slot !== "intake")
  const boards = [...new Set(s.locks.map((l) => l.board))]
  return [
    m.error !== null && h("p", { class: "error", role: "alert", id: "twin-error" }, m.error),
    h(
      "div",
      { class: "columns" },
      section(
        "card",
        "Bank card",
        fact("Card slot", s.card.waiting ? "a card is waiting to be read" : "empty", s.card.waiting ? "warn" : "plain"),
        fact("Cards read", String(s.card.reads)),
        h(
          "div",
          { class: "pick" },
          h("label", { for: "card-label" }, "Card (same name, same card)"),
          h("input", { id: "card-label", value: m.cardLabel, oninput: (e: Event) => (m.cardLabel = (e.target as HTMLInputElement).value) })
        ),
        h(
          "div",
          { class: "row" },
          btn("card-insert", "Insert card", () => act(() => twinApi.insertCard(m.cardLabel.trim() || "citizen")), false, "primary"),
          btn("card-remove", "Remove card", () => act(twinApi.removeCard), !s.card.waiting)
        ),
        choice(
          "card-fault",
          "Card terminal fault",
          s.card.fault,
          [["none", "none"], ["unreadable", "card unreadable"], ["offline", "terminal offline"]],
          (v) => act(() => twinApi.cardFault(v))
        )
      ),
      section(
        "phone",
        "Phone: SMS inbox",
        choice("phone-number", "Phone number", m.phone, [["", "all phones"], ...phones.map((p) => [p, p] as const)], (v) => {
          m.phone = v
          refreshInbox()
        }),
        messages.length === 0
          ? h("p", null, "No messages yet.")
          : h(
            "ol",
            { class: "inbox", id: "inbox" },
            messages.slice(0, 8).map((x) =>
              h(
                "li",
                null,
                h("p", { class: "sms-meta" }, `to ${x.to}, ${new Date(x.at).toLocaleTimeString("en-GB")}`),
                h("p", { class: "sms-text", lang: "de" }, x.text)
              )
            )
          ),
        choice(
          "sms-fault",
          "SMS modem fault",
          s.sms.fault,
          [["none", "none"], ["network", "no network"], ["sim-missing", "SIM missing"]],
          (v) => act(() => twinApi.smsFault(v))
        )
      ),
      intake && section("intake", "Intake slot", h("ul", { class: "locks single" }, lockView(intake, act))),
      section(
        "scanner",
        "Scanner",
        fact("Pages on the scanner", String(s.scanner.documents)),
        choice("scan-pages", "Pages", String(m.pages), [["1", "1 page"], ["2", "2 pages"], ["3", "3 pages"]], (v) => (m.pages = Number(v))),
        h("div", { class: "row" }, btn("scanner-place", "Lay a document on the scanner", () => act(() => twinApi.placeDocument(m.pages)), false, "primary")),
        choice(
          "scanner-fault",
          "Scanner fault",
          "none",
          [["none", "none"], ["jam", "paper jam"], ["offline", "offline"]],
          (v) => act(() => twinApi.scannerFault(v))
        )
      ),
      section(
        "office",
        "Office intake and locker bus",
        choice("authority-mode", "The offices", s.authority.mode, [["accept", "accept applications"], ["unavailable", "are unreachable"], [
          "reject",
          "reject applications"
        ]], (v) => act(() => twinApi.authorityMode(v))),
        fact("Applications received", String(s.authority.received)),
        fact("Delivery attempts", String(s.authority.attempts)),
        boards.map((b) => {
          const online = s.locks.find((l) => l.board === b)?.boardOnline ?? true
          return h(
            "div",
            { class: "row" },
            fact(`Locker board ${b}`, online ? "online" : "offline", online ? "ok" : "warn"),
            btn(`board-${b}`, online ? `Take board ${b} offline` : `Bring board ${b} back`, () => act(() => twinApi.board(b, !online)), false, "danger")
          )
        })
      )
    ),
    section("compartments", "Compartments", h("ul", { class: "locks" }, compartments.map((l) => lockView(l, act))))
  ]
}
