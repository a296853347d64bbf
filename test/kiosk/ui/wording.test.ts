/**
 * The back office names every event type and every alarm kind in German and
 * English: none shown under its internal name, no two types under one name.
 */
import { describe, expect, it } from "vitest"
import { AlarmKind, eventTypes } from "../../../core/domain/events.ts"
import { alarmName, alarmTodo, eventName, wordingTables } from "../../../kiosk/ui/staff/wording.ts"

describe("back-office wording", () => {
  for (const lang of ["de", "en"] as const) {
    it(`${lang}: every event type has its own name, never the internal one`, () => {
      const names = eventTypes.map((t) => eventName(lang, t))
      for (const [i, t] of eventTypes.entries()) expect(names[i], t).not.toBe(t)
      expect(new Set(names).size).toBe(eventTypes.length)
      expect(Object.keys(wordingTables.eventNames[lang]).sort()).toEqual([...eventTypes].sort())
    })

    it(`${lang}: every alarm kind has a name and a sentence saying what to do`, () => {
      for (const kind of AlarmKind.literals) {
        expect(alarmName(lang, kind), kind).not.toBe(kind)
        expect(alarmTodo(lang, kind), kind).toMatch(/\.$/)
      }
    })
  }

  it("an unknown type or kind falls back to its own name rather than to nothing", () => {
    expect(eventName("de", "SomethingNew")).toBe("SomethingNew")
    expect(alarmName("de", "something_new")).toBe("something_new")
    expect(alarmTodo("de", "something_new")).toBeUndefined()
  })
})
