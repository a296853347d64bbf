/**
 * Calls to the terminal's HTTP API. Every answer is a Result: the value, or
 * the failure with the HTTP status and the error body's `_tag` (PickupFailed,
 * CardNotRead, HttpApiDecodeError …), or NetworkError / Aborted.
 */
export interface Failure {
  readonly status: number
  readonly tag: string
  readonly body: Readonly<Record<string, unknown>>
}
export type Result<A> = { readonly ok: true; readonly value: A } | { readonly ok: false; readonly failure: Failure }

export interface CallOptions {
  readonly token?: string | undefined
  readonly signal?: AbortSignal | undefined
  readonly headers?: Readonly<Record<string, string>> | undefined
}

const parse = (text: string): unknown => {
  try {
    return text.length > 0 ? JSON.parse(text) : undefined
  } catch {
    return undefined
  }
}

export const call = async <A>(method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<Result<A>> => {
  const headers: Record<string, string> = { ...options.headers }
  if (body !== undefined) headers["content-type"] = "application/json"
  if (options.token) headers["authorization"] = `Bearer ${options.token}`
  try {
    const response = await fetch(path, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(options.signal ? { signal: options.signal } : {})
    })
    const data = parse(await response.text())
    if (response.ok) return { ok: true, value: data as A }
    const errorBody = typeof data === "object" && data !== null ? data as Record<string, unknown> : {}
    const tag = typeof errorBody["_tag"] === "string" ? errorBody["_tag"] : `Http${response.status}`
    return { ok: false, failure: { status: response.status, tag, body: errorBody } }
  } catch (e) {
    const aborted = e instanceof DOMException && e.name === "AbortError"
    return { ok: false, failure: { status: 0, tag: aborted ? "Aborted" : "NetworkError", body: {} } }
  }
}

export const field = (f: Failure, name: string): unknown => f.body[name]
export const reasonOf = (f: Failure): string => (typeof f.body["reason"] === "string" ? f.body["reason"] : f.tag)
