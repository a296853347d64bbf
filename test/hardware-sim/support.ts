/** Hex helpers for byte-level tests. */
export const bytes = (h: string): Uint8Array => Uint8Array.from(h.trim().split(/\s+/).filter((x) => x.length > 0), (x) => parseInt(x, 16))
export const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).toUpperCase().padStart(2, "0")).join(" ")
