#!/usr/bin/env node
// Runs the TypeScript sources through tsx, so `npx amtomat` works right after `npm install`.
import { register } from "tsx/esm/api"

register()
await import("../cli/main.ts")
