/**
 * Database migrations, for SQLite (the terminal) and PostgreSQL (the county):
 * one text for both where the dialects agree; where they do not, a fragment
 * per dialect — epoch milliseconds need BIGINT on PostgreSQL (its INTEGER is
 * 32 bits) and stay INTEGER on SQLite (where `INTEGER PRIMARY KEY` is the row
 * id), bytes are BLOB or BYTEA, and the event log's append-only guard is a
 * trigger in each dialect's own syntax. SQLite's text is unchanged, so a
 * terminal's existing database needs nothing.
 */
import { SqlClient } from "@effect/sql"
import * as Migrator from "@effect/sql/Migrator"
import { Effect } from "effect"

const types = (sql: SqlClient.SqlClient) => ({
  millis: sql.onDialectOrElse({ pg: () => sql.literal("BIGINT"), orElse: () => sql.literal("INTEGER") }),
  bytes: sql.onDialectOrElse({ pg: () => sql.literal("BYTEA"), orElse: () => sql.literal("BLOB") })
})

const appendOnly = (sql: SqlClient.SqlClient) =>
  sql.onDialectOrElse({
    pg: () =>
      Effect.zipRight(
        sql`CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN RAISE EXCEPTION 'the event log is append-only'; END $$`,
        sql`CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
          FOR EACH ROW EXECUTE FUNCTION events_append_only()`
      ),
    orElse: () =>
      Effect.zipRight(
        sql`CREATE TRIGGER events_no_update BEFORE UPDATE ON events
          BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END`,
        sql`CREATE TRIGGER events_no_delete BEFORE DELETE ON events
          BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END`
      )
  })

const m0001 = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const { bytes, millis } = types(sql)
  yield* sql`CREATE TABLE compartments (
    id INTEGER PRIMARY KEY,
    board INTEGER NOT NULL,
    lock INTEGER NOT NULL,
    size TEXT NOT NULL CHECK (size IN ('S', 'M', 'L')),
    band TEXT NOT NULL CHECK (band IN ('low', 'high')),
    state TEXT NOT NULL DEFAULT 'free' CHECK (state IN ('free', 'reserved', 'loaded', 'open', 'out_of_service')),
    door TEXT NOT NULL DEFAULT 'unknown' CHECK (door IN ('open', 'closed', 'unknown')),
    item INTEGER NOT NULL DEFAULT 0,
    order_id TEXT UNIQUE,
    out_of_service_reason TEXT,
    purpose TEXT,
    UNIQUE (board, lock)
  )`
  yield* sql`CREATE TABLE orders (
    id TEXT PRIMARY KEY,
    pickup_number TEXT NOT NULL UNIQUE,
    document_kind TEXT NOT NULL,
    phone TEXT,
    requires_old_document INTEGER NOT NULL,
    size TEXT NOT NULL,
    prefer_band TEXT,
    status TEXT NOT NULL,
    compartment_id INTEGER REFERENCES compartments (id),
    created_at TEXT NOT NULL,
    loaded_at TEXT,
    reminded_at TEXT,
    closed_at TEXT,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    notify_pending TEXT
  )`
  yield* sql`CREATE INDEX orders_status ON orders (status)`
  yield* sql`CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    card_key TEXT NOT NULL,
    started_at ${millis} NOT NULL,
    last_seen ${millis} NOT NULL,
    ended_at ${millis},
    end_reason TEXT,
    order_id TEXT,
    verified INTEGER NOT NULL DEFAULT 0,
    intake_done INTEGER NOT NULL DEFAULT 0,
    opened INTEGER NOT NULL DEFAULT 0
  )`
  yield* sql`CREATE TABLE codes (
    order_id TEXT PRIMARY KEY REFERENCES orders (id),
    session_id TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    expires_at ${millis} NOT NULL,
    used INTEGER NOT NULL DEFAULT 0,
    sent_count INTEGER NOT NULL DEFAULT 1
  )`
  yield* sql`CREATE TABLE throttle (
    scope TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    blocked_until ${millis} NOT NULL
  )`
  yield* sql`CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL,
    application_id TEXT,
    mime TEXT NOT NULL,
    pages INTEGER NOT NULL,
    data ${bytes} NOT NULL,
    created_at ${millis} NOT NULL
  )`
  yield* sql`CREATE TABLE applications (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    session_id TEXT NOT NULL,
    service_id TEXT NOT NULL,
    office TEXT NOT NULL,
    fields TEXT NOT NULL,
    created_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at ${millis} NOT NULL,
    authority_reference TEXT,
    last_error TEXT
  )`
  yield* sql`CREATE TABLE alarms (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    compartment_id INTEGER,
    detail TEXT NOT NULL,
    raised_at TEXT NOT NULL,
    acknowledged_at TEXT,
    acknowledged_by TEXT
  )`
  yield* sql`CREATE TABLE staff (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor', 'technician')),
    password_hash TEXT NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until ${millis} NOT NULL DEFAULT 0
  )`
  yield* sql`CREATE TABLE staff_sessions (
    token_hash TEXT PRIMARY KEY,
    staff_id TEXT NOT NULL REFERENCES staff (id),
    expires_at ${millis} NOT NULL
  )`
  yield* sql`CREATE TABLE events (
    seq ${sql.onDialectOrElse({ pg: () => sql.literal("BIGINT"), orElse: () => sql.literal("INTEGER") })} PRIMARY KEY,
    at TEXT NOT NULL,
    site TEXT NOT NULL,
    terminal TEXT NOT NULL,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  )`
  yield* sql`CREATE INDEX events_type_at ON events (type, at)`
  yield* appendOnly(sql)
})

/** Alarms name what they are about (a device, a board) and can resolve by themselves. */
const m0002 = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE alarms ADD COLUMN subject TEXT NOT NULL DEFAULT ''`
  yield* sql`ALTER TABLE alarms ADD COLUMN resolved_at TEXT`
})

/**
 * The throttle keeps a failure score that fades with time (a half-life) instead of a count a
 * success resets: `score` as of `updated_at` (epoch millis).
 */
const m0003 = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE throttle ADD COLUMN score DOUBLE PRECISION NOT NULL DEFAULT 0`
  yield* sql`ALTER TABLE throttle ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0`
})

/**
 * Staff sign-in attempts per source (client address): the per-source limit's window and
 * count, and the failures not yet written to the event log (one event per source per minute;
 * `logged_at` NULL: none written yet).
 */
const m0004 = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE staff_login_sources (
    source TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    attempts INTEGER NOT NULL,
    pending INTEGER NOT NULL DEFAULT 0,
    logged_at BIGINT
  )`
})

/**
 * Each event row's MAC: HMAC-SHA256 under the audit key (kept apart from the database) over
 * the row's hash, so a chain recomputed without the key is found. Rows written before this
 * migration keep NULL: `audit verify` reports them as unkeyed, not as tampered.
 */
const m0005 = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE events ADD COLUMN mac TEXT`
})

/**
 * Orders the terminal took from the county's inbox, by the county's id (each taken once), and
 * whether the office has cancelled one while its load was under way.
 */
const m0006 = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE county_orders (
    county_order_id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL UNIQUE REFERENCES orders (id),
    cancel_requested INTEGER NOT NULL DEFAULT 0
  )`
})

/**
 * A note staff may leave when they acknowledge an alarm; staff accounts a supervisor disabled
 * (kept, never deleted: the event log names them).
 */
const m0007 = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE alarms ADD COLUMN acknowledged_note TEXT`
  yield* sql`ALTER TABLE staff ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0`
})

export const migrations = {
  "0001_initial": m0001,
  "0002_alarm_subject": m0002,
  "0003_throttle_decay": m0003,
  "0004_staff_login_sources": m0004,
  "0005_event_mac": m0005,
  "0006_county_orders": m0006,
  "0007_alarm_notes_staff_disabled": m0007
}

/** Applies the migrations still missing, on any @effect/sql client. */
export const migrate = Migrator.make({})({ loader: Migrator.fromRecord(migrations) })
