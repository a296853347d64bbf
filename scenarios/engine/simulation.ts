/**
 * The discrete-event engine. Events come off the calendar in time order;
 * the agents decide; whenever the terminal is involved the engine hands out
 * an Interaction and waits for its Outcome (`next` / `resolve`), so the same
 * decisions can be played against outcome distributions (model fidelity) or
 * against the real workflows (full fidelity).
 */
import { choiceProbability, recommendProbability, trustAfterFailure, trustAfterStaff, trustAfterSuccess } from "./adoption.ts"
import { DAY } from "./calendar.ts"
import type { Scheduled } from "./heap.ts"
import { deviceFailure, documentKinds, type Interaction, type Outcome } from "./interactions.ts"
import { degree, tellContacts } from "./network.ts"
import { clonePopulation } from "./population.ts"
import { packFault, scheduleInitial, unpackFault } from "./setup.ts"
import { Ev, Metric, State, type StateOptions, type World } from "./state.ts"

const EXPIRY_DAYS = 21

interface Pending {
  readonly interaction: Interaction
  readonly willRecommend: boolean
}

export class Simulation extends State {
  private readonly inbox: Array<Pending> = []
  private current: Pending | undefined
  private readonly faultDepth = new Map<string, number>()
  /** The terminal serves one citizen at a time: busy until this minute, per site. */
  private readonly busyUntil: Float64Array

  constructor(scenario: State["scenario"], options: StateOptions, world?: World) {
    super(scenario, options, world)
    this.busyUntil = new Float64Array(scenario.sites.length)
    if (world === undefined) scheduleInitial(this)
  }

  /**
   * The world as it stands before the first event: residents, network,
   * scheduled occasions and faults, random streams. A counterfactual run
   * starts from the same world (common random numbers), only the policy differs.
   */
  world(): World {
    if (this.now !== 0) throw new Error("the world can only be taken before the run starts")
    return { pop: clonePopulation(this.pop), graph: this.graph, queue: this.queue.clone(), rng: this.rng.clone(), siteRng: this.siteRng.map((r) => r.clone()) }
  }

  /** The next interaction the terminal must play, or undefined when the run is over. */
  next(): Interaction | undefined {
    if (this.current !== undefined) throw new Error("resolve the current interaction first")
    for (;;) {
      const pending = this.inbox.shift()
      if (pending !== undefined) {
        this.current = pending
        return pending.interaction
      }
      const e = this.queue.pop()
      if (e === undefined || e.t >= this.end) return undefined
      this.now = e.t
      this.handle(e)
    }
  }

  /** The outcome of the interaction last handed out. */
  resolve(outcome: Outcome): void {
    const p = this.current
    if (p === undefined) throw new Error("no interaction to resolve")
    this.current = undefined
    const i = p.interaction
    if (i.kind === "load") this.afterLoad(i.doc, i.site, outcome)
    else if (i.kind === "pickup") this.afterPickup(i.doc, i.site, outcome, p.willRecommend)
    else if (i.kind === "application") {
      this.count(i.site, Metric.terminalUses)
      if (outcome === "ok") {
        this.count(i.site, Metric.applications)
        this.tally.applicationsOk++
      } else this.count(i.site, Metric.failures)
    } else if (i.kind === "return") {
      this.docReturned[i.doc] = true
      this.schedule(this.counterTime(i.site, this.now + this.siteRng[i.site]!.exponential(3) * DAY), Ev.CounterPickup, i.doc)
    }
  }

  private emit(interaction: Interaction, willRecommend = false): void {
    this.inbox.push({ interaction, willRecommend })
  }

  private handle(e: Scheduled<Ev>): void {
    switch (e.kind) {
      case Ev.Apply:
        return this.apply(e.a, e.b >> 1, (e.b & 1) === 1)
      case Ev.Ready:
        return this.ready(e.a)
      case Ev.TerminalPickup:
        if (this.whenFree(this.pop.site[this.docResident[e.a]!]!, e, this.scenario.terminal.pickupMinutes)) this.terminalPickup(e.a)
        return
      case Ev.CounterPickup: {
        const doc = e.a
        const site = this.pop.site[this.docResident[doc]!]!
        // What the terminal's back office records as a counter handover, so that the engine and the
        // event log measure one share: a document the terminal sent back is handed out from the office's
        // own stock, which the terminal's log never sees.
        if (!this.docReturned[doc]) this.count(site, Metric.pickupsCounter)
        if (!this.docReturned[doc] && this.active(site)) {
          this.emit({ kind: "counter", site, t: this.now, doc, documentKind: documentKinds[this.docKind[doc]!]! })
        }
        return
      }
      case Ev.Return: {
        const site = this.pop.site[this.docResident[e.a]!]!
        return this.emit({ kind: "return", site, t: this.now, doc: e.a })
      }
      case Ev.Application:
        if (this.whenFree(this.pop.site[e.a]!, e, this.scenario.terminal.applicationMinutes)) this.application(e.a)
        return
      case Ev.Fault:
        return this.fault(e.a, e.b)
      case Ev.Daily: {
        for (let s = 0; s < this.scenario.sites.length; s++) if (this.active(s)) this.emit({ kind: "daily", site: s, t: this.now })
        this.schedule(this.now + DAY, Ev.Daily)
        return
      }
    }
  }

  /** Takes the terminal for `minutes`; when someone is using it, the citizen waits and comes right after. */
  private whenFree(site: number, e: Scheduled<Ev>, minutes: number): boolean {
    if (this.now < this.busyUntil[site]!) {
      this.schedule(this.busyUntil[site]! + 0.5, e.kind, e.a, e.b)
      return false
    }
    this.busyUntil[site] = this.now + minutes
    return true
  }

  private apply(r: number, kind: number, needsOld: boolean): void {
    const pop = this.pop
    const s = pop.site[r]!
    const doc = this.newDoc(r, kind, needsOld)
    const rng = this.siteRng[s]!
    if (this.active(s)) {
      pop.occasions[r]!++
      const used = pop.uses[r]! > 0
      if (used) this.tally.secondOccasions++
      const staff = rng.chance(this.staffP[s]!)
      if (staff) {
        this.tally.staffRecommendations++
        pop.staffRecommended[r] = 1
        pop.aware[r] = 1
        pop.trust[r] = trustAfterStaff(this.scenario.behaviour.trust, pop.trust[r]!)
      }
      if (rng.chance(this.posters[s]! * 0.5)) pop.aware[r] = 1
      const deg = degree(this.graph, r)
      const p = choiceProbability(this.scenario.behaviour.choice, {
        value: pop.value[r]!,
        staff,
        peer: deg === 0 ? 0 : Math.min(1, pop.peerRecs[r]! / deg),
        trust: pop.trust[r]!,
        used,
        access: this.access[s]!,
        waitMinutes: this.waitAt(s, this.now),
        posters: this.posters[s]!,
        age: pop.age[r]!,
        female: pop.female[r] === 1,
        tech: pop.tech[r]!
      })
      this.tally.choices++
      if (rng.chance(p)) {
        this.docChannel[doc] = 1
        if (used) this.tally.repeatUses++
      }
    }
    const [lo, hi] = this.scenario.demand.productionDays
    const arrives = this.now + rng.uniform(lo, hi) * DAY
    this.schedule(this.hours[s]!.nextOpen(arrives) + rng.uniform(0, 90), Ev.Ready, doc)
  }

  private ready(doc: number): void {
    const s = this.pop.site[this.docResident[doc]!]!
    this.count(s, Metric.documentsReady)
    if (this.docChannel[doc] === 1 && this.active(s)) {
      this.emit({ kind: "load", site: s, t: this.now, doc, documentKind: documentKinds[this.docKind[doc]!]!, requiresOldDocument: this.docNeedsOld[doc]! })
    } else {
      this.docChannel[doc] = 0
      this.toCounter(doc, s)
    }
  }

  private toCounter(doc: number, s: number): void {
    this.schedule(this.counterTime(s, this.now + this.siteRng[s]!.exponential(this.scenario.demand.pickupDelayMeanDays) * DAY), Ev.CounterPickup, doc)
  }

  private afterLoad(doc: number, s: number, outcome: Outcome): void {
    const rng = this.siteRng[s]!
    if (outcome !== "ok") {
      this.count(s, Metric.failures)
      this.docChannel[doc] = 0
      return this.toCounter(doc, s)
    }
    this.docLoadedAt[doc] = this.now
    if (rng.chance(this.scenario.demand.neverCollect)) {
      return this.schedule(this.hours[s]!.nextOpen(this.now + (EXPIRY_DAYS + 1) * DAY), Ev.Return, doc)
    }
    this.schedule(this.terminalTime(s, this.now + rng.exponential(this.scenario.demand.pickupDelayMeanDays) * DAY), Ev.TerminalPickup, doc)
  }

  private terminalPickup(doc: number): void {
    const r = this.docResident[doc]!
    const s = this.pop.site[r]!
    if (this.now - this.docLoadedAt[doc]! > EXPIRY_DAYS * DAY) {
      return this.schedule(this.hours[s]!.nextOpen(this.now), Ev.Return, doc)
    }
    const b = this.scenario.behaviour
    const rng = this.siteRng[s]!
    const pop = this.pop
    const willRecommend = rng.chance(recommendProbability(b.recommend, true, trustAfterSuccess(b.trust, pop.trust[r]!), pop.ease[r]!))
    const feedback = rng.chance(0.3)
      ? {
        rating: willRecommend ? 4 + rng.int(2) : 2 + rng.int(3),
        recommend: willRecommend ? "yes" as const : rng.chance(0.5) ? "unsure" as const : "no" as const
      }
      : null
    this.tally.pickupAttempts++
    this.emit({
      kind: "pickup",
      site: s,
      t: this.now,
      doc,
      card: `resident-${r}`,
      forgetsOldDocument: this.docNeedsOld[doc]! && rng.chance(b.humanErrors.forgetOldDocument),
      mistypesCode: rng.chance(b.humanErrors.mistypeCode),
      feedback
    }, willRecommend)
  }

  private afterPickup(doc: number, s: number, outcome: Outcome, willRecommend: boolean): void {
    const r = this.docResident[doc]!
    const pop = this.pop
    const b = this.scenario.behaviour
    const rng = this.siteRng[s]!
    // posters only: nobody recommends, so nobody can learn to (as the posters-only preset)
    const adaptive = this.options.variant === "as-given" && this.scenario.sites[s]!.staff.adaptive
    this.count(s, Metric.terminalUses)
    if (outcome === "ok") {
      this.count(s, Metric.pickupsTerminal)
      this.tally.pickupsOk++
      if (pop.uses[r] === 0) {
        pop.firstUseDay[r] = Math.floor(this.now / DAY)
        this.tally.firstUses++
        if (pop.staffRecommended[r] === 1) this.tally.firstUsesStaff++
        if (pop.peerRecs[r]! > 0) this.tally.firstUsesPeer++
        this.count(s, Metric.newUsers)
        this.scheduleApplication(r)
      }
      pop.uses[r]!++
      pop.aware[r] = 1
      pop.trust[r] = trustAfterSuccess(b.trust, pop.trust[r]!)
      if (adaptive) this.staffP[s]! += b.staffAdaptation.up * (1 - this.staffP[s]!)
      if (willRecommend) {
        pop.recommends[r] = 1
        if (this.scenario.network.peerInfluence) tellContacts(this.graph, this.pop, r, rng, b.recommend.shareWithContact, b.trust)
      }
      return
    }
    this.count(s, Metric.failures)
    pop.failures[r]!++
    const device = deviceFailure(outcome)
    pop.trust[r] = trustAfterFailure(b.trust, pop.trust[r]!, device)
    if (device && adaptive) this.staffP[s]! -= b.staffAdaptation.down * this.staffP[s]!
    this.docTries[doc]!++
    const wait = outcome === "jam" ? this.scenario.faults.repairHours * 60 : 0
    if (this.docTries[doc]! < 3 && rng.chance(b.retryAfterFailure)) {
      this.schedule(this.terminalTime(s, this.now + wait + rng.uniform(1, 3) * DAY), Ev.TerminalPickup, doc)
    } else {
      this.schedule(this.hours[s]!.nextOpen(this.now + wait + DAY), Ev.Return, doc)
    }
  }

  private scheduleApplication(r: number): void {
    const rate = this.scenario.demand.terminalApplicationsPerUserYear
    if (rate <= 0) return
    const s = this.pop.site[r]!
    this.schedule(this.terminalTime(s, this.now + this.siteRng[s]!.exponential(365.25 / rate) * DAY), Ev.Application, r)
  }

  private application(r: number): void {
    const s = this.pop.site[r]!
    const services = this.scenario.terminal.services
    if (services.length > 0) {
      const serviceId = services[this.siteRng[s]!.int(services.length)]!
      this.emit({ kind: "application", site: s, t: this.now, card: `resident-${r}`, serviceId })
    }
    this.scheduleApplication(r)
  }

  private fault(site: number, packed: number): void {
    const f = unpackFault(packed)
    const key = `${site}/${packFault(f.slot, (packed >> 1) & 3, false)}`
    const depth = (this.faultDepth.get(key) ?? 0) + (f.on ? 1 : -1)
    this.faultDepth.set(key, Math.max(0, depth))
    if ((f.on && depth === 1) || (!f.on && depth === 0)) {
      this.emit({ kind: "fault", site, t: this.now, fault: f.kind, on: f.on, slot: f.slot })
    }
  }
}
