/**
 * The event calendar: a binary min-heap on (time, insertion order), so
 * simultaneous events run in the order they were scheduled — deterministic.
 */
export interface Scheduled<K> {
  readonly t: number
  readonly seq: number
  readonly kind: K
  readonly a: number
  readonly b: number
}

export class EventQueue<K> {
  private readonly items: Array<Scheduled<K>> = []
  private counter = 0

  /** An independent copy (the same pending events, the same tie-breaking). */
  clone(): EventQueue<K> {
    const q = new EventQueue<K>()
    q.items.push(...this.items)
    q.counter = this.counter
    return q
  }

  get size(): number {
    return this.items.length
  }

  push(t: number, kind: K, a = 0, b = 0): void {
    const item = { t, seq: this.counter++, kind, a, b }
    const xs = this.items
    xs.push(item)
    let i = xs.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (!before(item, xs[p]!)) break
      xs[i] = xs[p]!
      i = p
    }
    xs[i] = item
  }

  pop(): Scheduled<K> | undefined {
    const xs = this.items
    const top = xs[0]
    const last = xs.pop()
    if (top === undefined || last === undefined || xs.length === 0) return top
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      if (l >= xs.length) break
      const r = l + 1
      const c = r < xs.length && before(xs[r]!, xs[l]!) ? r : l
      if (!before(xs[c]!, last)) break
      xs[i] = xs[c]!
      i = c
    }
    xs[i] = last
    return top
  }
}

const before = <K>(a: Scheduled<K>, b: Scheduled<K>) => a.t < b.t || (a.t === b.t && a.seq < b.seq)
