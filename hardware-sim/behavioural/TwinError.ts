import { Schema } from "effect"

/** A control action the physical twin cannot do (take an item out of a closed compartment …). */
export class TwinError extends Schema.TaggedError<TwinError>()("TwinError", {
  message: Schema.String
}) {}
