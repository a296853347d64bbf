/**
 * The fleet as county staff see it: every terminal they may see (county staff all, a clerk
 * their site's) with each device's last reported state, its last contact, how far replication lags behind what it reported,
 * its last refusal and its open alarms; alarms acknowledged centrally; and the study's
 * report over their sites' replicated events (./CountyReport.ts). A clerk asking
 * for another site's alarm gets the answer an alarm that does not exist gets.
 */
import { Effect, Option, Schema } from "effect"
import { reportBody, reportCharts, subtitleOf } from "../analytics/html/page.ts"
import { Conflict, NotFound } from "../core/domain/errors.ts"
import { DeviceStatusChanged } from "../core/domain/events.ts"
import { GridCompartment } from "../core/protocols/replication.ts"
import { countyReport } from "./CountyReport.ts"
import { type CountyMember, sees } from "./CountyStaff.ts"
import { type CountyAlarmRow, CountyAlarmsRepo } from "./persistence/CountyAlarmsRepo.ts"
import { ReplicaRepo } from "./persistence/ReplicaRepo.ts"
import { TerminalsRepo } from "./persistence/TerminalsRepo.ts"
import { isoNow } from "./replication/Replication.ts"

export interface FleetTerminal {
  readonly terminal: string
  readonly site: string
  readonly lastContact: string | null
  /** The county's head of the terminal's log, and the highest seq the terminal reported. */
  readonly headSeq: number
  readonly reportedSeq: number
  /** Events the terminal reported that the county does not hold yet. */
  readonly lag: number
  readonly lastRefusal: string | null
  readonly openAlarms: number
  /** Each device's last reported state (DeviceStatusChanged), by device name; a device never reported is not listed. */
  readonly devices: ReadonlyArray<FleetDevice>
  /** The compartment grid as the terminal's last taken push carried it, and when; empty before the first. */
  readonly compartments: ReadonlyArray<GridCompartment>
  readonly compartmentsAt: string | null
}

const decodeGrid = Schema.decodeUnknownOption(Schema.parseJson(Schema.Array(GridCompartment)))

export interface FleetDevice {
  readonly device: string
  readonly online: boolean
  readonly detail: string
  readonly since: string
}

const decodeDeviceStatus = Schema.decodeUnknownOption(Schema.parseJson(DeviceStatusChanged))

/** The last state of each device of each terminal, from its DeviceStatusChanged events in seq order. */
export const deviceStates = (rows: ReadonlyArray<{ readonly terminal: string; readonly at: string; readonly data: string }>) => {
  const by = new Map<string, Map<string, FleetDevice>>()
  for (const row of rows) {
    const event = decodeDeviceStatus(row.data)
    if (Option.isNone(event)) continue
    const devices = by.get(row.terminal) ?? new Map<string, FleetDevice>()
    devices.set(event.value.device, { device: event.value.device, online: event.value.online, detail: event.value.detail, since: row.at })
    by.set(row.terminal, devices)
  }
  return (terminal: string): ReadonlyArray<FleetDevice> => [...(by.get(terminal)?.values() ?? [])].sort((a, b) => a.device.localeCompare(b.device))
}

export interface FleetAlarm {
  readonly id: string
  readonly terminal: string
  readonly site: string
  readonly kind: string
  readonly message: string
  readonly raisedAt: string
  readonly acknowledgedAt: string | null
  readonly acknowledgedBy: string | null
}

export class Fleet extends Effect.Service<Fleet>()("amtomat/county/Fleet", {
  effect: Effect.gen(function*() {
    const terminals = yield* TerminalsRepo
    const alarms = yield* CountyAlarmsRepo
    const replica = yield* ReplicaRepo

    /** The terminals the member may see. */
    const visible = (member: CountyMember) => Effect.map(terminals.all, (all) => all.filter((t) => sees(member, t.site)))

    const alarmOf = (a: CountyAlarmRow, site: string): FleetAlarm => ({
      id: a.id,
      terminal: a.terminal,
      site,
      kind: a.kind,
      message: a.message,
      raisedAt: a.raised_at,
      acknowledgedAt: a.acknowledged_at,
      acknowledgedBy: a.acknowledged_by
    })

    /** The open alarms of these terminals (id → site). */
    const openOf = (sites: ReadonlyMap<string, string>) =>
      Effect.map(alarms.open, (open) => open.flatMap((a) => (sites.has(a.terminal) ? [alarmOf(a, sites.get(a.terminal)!)] : [])))

    const sitesOf = (rows: ReadonlyArray<{ readonly terminal: string; readonly site: string }>) => new Map(rows.map((t) => [t.terminal, t.site]))

    const openAlarms = Effect.fn("Fleet.alarms")(function*(member: CountyMember) {
      return yield* openOf(sitesOf(yield* visible(member)))
    })

    const list = Effect.fn("Fleet.terminals")(function*(member: CountyMember) {
      const mine = yield* visible(member)
      const open = yield* openOf(sitesOf(mine))
      const devices = deviceStates(yield* replica.ofType("DeviceStatusChanged"))
      return mine.map((t): FleetTerminal => ({
        terminal: t.terminal,
        site: t.site,
        lastContact: t.last_contact,
        headSeq: t.head_seq,
        reportedSeq: t.reported_seq,
        lag: Math.max(0, t.reported_seq - t.head_seq),
        lastRefusal: t.last_refusal,
        openAlarms: open.filter((a) => a.terminal === t.terminal).length,
        devices: devices(t.terminal),
        compartments: t.grid === null ? [] : Option.getOrElse(decodeGrid(t.grid), () => []),
        compartmentsAt: t.grid_at
      }))
    })

    /** Acknowledges an open alarm the member may see; the UPDATE decides between two at once, the loser is told who won. */
    const acknowledge = Effect.fn("Fleet.acknowledge")(function*(member: CountyMember, id: string) {
      const mine = sitesOf(yield* visible(member))
      const before = yield* alarms.byId(id)
      if (before._tag === "None" || !mine.has(before.value.terminal)) {
        return yield* new NotFound({ resource: "alarm", id, message: `there is no alarm ${id}` })
      }
      const stored = yield* alarms.acknowledge({ id, by: member.username, at: yield* isoNow })
      if (stored._tag === "None") {
        const winner = yield* alarms.byId(id)
        const by = winner._tag === "Some" ? `, by ${winner.value.acknowledged_by} at ${winner.value.acknowledged_at}` : ""
        return yield* new Conflict({ reason: "WrongState", message: `alarm ${id} was acknowledged already${by}` })
      }
      return alarmOf(stored.value, mine.get(stored.value.terminal)!)
    })

    /** The study's report over every replicated event of the sites the member may see. */
    const report = Effect.fn("Fleet.report")(function*(member: CountyMember) {
      const rows = yield* replica.allRows(member.role === "county" ? undefined : [member.site ?? ""])
      return countyReport(rows, { generatedAt: yield* isoNow, label: member.role === "county" ? "county / all sites" : `county / ${member.site}` })
    })

    /** The report as the dashboard draws it: the analytics' own sections and chart specs (analytics/html/page.ts). */
    const dashboard = Effect.fn("Fleet.dashboard")(function*(member: CountyMember) {
      const r = yield* report(member)
      const specs = reportCharts(r)
      return { title: r.source.path, subtitle: subtitleOf(r, "terminal"), body: reportBody(r, specs, "terminal"), specs }
    })

    return { terminals: list, alarms: openAlarms, acknowledge, report, dashboard } as const
  })
}) {}
