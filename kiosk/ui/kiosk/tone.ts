/**
 * Short tones through the Web Audio API: a click for each masked digit (a tone,
 * never speech) and a chime for the idle warning. Each tone is also announced
 * as a DOM event `amtomat:tone`, which the browser tests listen to.
 */
export type Tone = "key" | "warning" | "error" | "success"

let context: AudioContext | undefined

const shapes: Record<Tone, ReadonlyArray<readonly [frequency: number, seconds: number]>> = {
  key: [[880, 0.06]],
  warning: [[660, 0.25], [880, 0.25], [660, 0.25]],
  error: [[330, 0.3]],
  success: [[660, 0.12], [990, 0.2]]
}

/** Creates the audio context on a user gesture (browsers refuse sound before one). */
export const unlockAudio = (): void => {
  try {
    context ??= new AudioContext()
    if (context.state === "suspended") void context.resume()
  } catch {
    // no audio device: tones are skipped, the screen still shows everything
  }
}

export const tone = (kind: Tone): void => {
  window.dispatchEvent(new CustomEvent("amtomat:tone", { detail: kind }))
  if (!context) return
  let at = context.currentTime
  for (const [frequency, seconds] of shapes[kind]) {
    const oscillator = context.createOscillator()
    const gain = context.createGain()
    oscillator.frequency.value = frequency
    gain.gain.setValueAtTime(0.2, at)
    gain.gain.exponentialRampToValueAtTime(0.001, at + seconds)
    oscillator.connect(gain).connect(context.destination)
    oscillator.start(at)
    oscillator.stop(at + seconds)
    at += seconds
  }
}
