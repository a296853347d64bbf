/**
 * The county's schema, apart from any terminal's (its own migrations table,
 * `county_migrations`): the terminal registry with each terminal's chain head,
 * the replicated events of every terminal, and the county's alarms. One text
 * for SQLite and PostgreSQL (BIGINT is an integer on both) except the replica's
 * append-only guard, a trigger in each dialect's syntax. The county runs on
 * PostgreSQL; SQLite serves the in-process tests and the scenario engine.
 */
import { SqlClient } from "@effect/sql"
import * as Migrator from "@effect/sql/Migrator"
import { Effect } from "effect"

const appendOnly = (sql: SqlClient.SqlClient) =>
  sql.onDialectOrElse({
    pg: () =>
      Effect.zipRight(
        sql`CREATE FUNCTION county_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN RAISE EXCEPTION 'the county''s event replica is append-only'; END $$`,
        sql`CREATE TRIGGER county_events_append_only BEFORE UPDATE OR DELETE ON county_events
          FOR EACH ROW EXECUTE FUNCTION county_events_append_only()`
      ),
    orElse: () =>
      Effect.zipRight(
        sql`CREATE TRIGGER county_events_no_update BEFORE UPDATE ON county_events
          BEGIN SELECT RAISE(ABORT, 'the county''s event replica is append-only'); END`,
        sql`CREATE TRIGGER county_events_no_delete BEFORE DELETE ON county_events
          BEGIN SELECT RAISE(ABORT, 'the county''s event replica is append-only'); END`
      )
  })

const m0001 = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE county_terminals (
    terminal TEXT PRIMARY KEY,
    site TEXT NOT NULL,
    credential_hash TEXT NOT NULL UNIQUE,
    added_at TEXT NOT NULL,
    head_seq BIGINT NOT NULL DEFAULT 0,
    head_hash TEXT NOT NULL,
    reported_seq BIGINT NOT NULL DEFAULT 0,
    last_contact TEXT,
    last_refusal TEXT
  )`
  yield* sql`CREATE TABLE county_events (
    terminal TEXT NOT NULL REFERENCES county_terminals (terminal),
    seq BIGINT NOT NULL,
    at TEXT NOT NULL,
    site TEXT NOT NULL,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    mac TEXT,
    received_at TEXT NOT NULL,
    PRIMARY KEY (terminal, seq)
  )`
  yield* sql`CREATE INDEX county_events_by_time ON county_events (at)`
  yield* appendOnly(sql)
  yield* sql`CREATE TABLE county_alarms (
    id TEXT PRIMARY KEY,
    terminal TEXT NOT NULL REFERENCES county_terminals (terminal),
    kind TEXT NOT NULL,
    message TEXT NOT NULL,
    raised_at TEXT NOT NULL,
    acknowledged_at TEXT,
    acknowledged_by TEXT
  )`
  // at most one open alarm per terminal and kind: a refused push repeated every minute raises one
  yield* sql`CREATE UNIQUE INDEX county_alarms_one_open ON county_alarms (terminal, kind) WHERE acknowledged_at IS NULL`
})

/**
 * County staff: `county` may see every site, a `clerk` only the site named on the account.
 * Sessions keep only a keyed hash of their token. The lock counters work as the terminal's
 * (core/persistence/StaffRepo.ts): counted in one conditional UPDATE before a password is checked.
 */
const m0002 = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE county_staff (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('county', 'clerk')),
    site TEXT,
    password_hash TEXT NOT NULL,
    failed_logins BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT NOT NULL DEFAULT 0,
    CHECK ((role = 'clerk' AND site IS NOT NULL) OR (role = 'county' AND site IS NULL))
  )`
  yield* sql`CREATE TABLE county_staff_sessions (
    token_hash TEXT PRIMARY KEY,
    staff_id TEXT NOT NULL REFERENCES county_staff (id),
    expires_at BIGINT NOT NULL
  )`
})

/** The fleet reads the latest rows of rare kinds (device status) without scanning every terminal's log. */
const m0003 = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE INDEX county_events_by_type ON county_events (type, terminal, seq)`
})

/** Sign-in attempts per client address and window, as the terminal's staff_login_sources: kept across restarts. */
const m0004 = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE county_login_sources (
    source TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    attempts BIGINT NOT NULL
  )`
})

/** Each terminal's compartment grid as its last taken push carried it (JSON), and when. */
const m0005 = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE county_terminals ADD COLUMN grid TEXT`
  yield* sql`ALTER TABLE county_terminals ADD COLUMN grid_at TEXT`
})

/**
 * Orders the citizens' office announced at the county: for a terminal (queued until it takes
 * them) or for a site's counter. The phone number is kept only until the terminal has taken the
 * order (or the counter handed it over); `progress` is the terminal's status of it, from its
 * replicated events.
 */
const m0006 = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE county_orders (
    id TEXT PRIMARY KEY,
    destination TEXT NOT NULL CHECK (destination IN ('terminal', 'counter')),
    terminal TEXT REFERENCES county_terminals (terminal),
    site TEXT NOT NULL,
    origin_site TEXT,
    announced_by TEXT NOT NULL,
    document_kind TEXT NOT NULL,
    phone TEXT,
    requires_old_document BIGINT NOT NULL,
    size TEXT NOT NULL,
    prefer_band TEXT,
    status TEXT NOT NULL CHECK (status IN ('queued', 'taken', 'cancelling', 'cancelled', 'recalled', 'too_late', 'refused', 'counter', 'handed_over')),
    progress TEXT,
    terminal_order TEXT,
    note TEXT,
    created_at TEXT NOT NULL,
    taken_at TEXT,
    closed_at TEXT,
    CHECK ((destination = 'terminal') = (terminal IS NOT NULL))
  )`
  yield* sql`CREATE INDEX county_orders_inbox ON county_orders (terminal, status)`
  yield* sql`CREATE INDEX county_orders_of_terminal ON county_orders (terminal, terminal_order)`
  yield* sql`CREATE INDEX county_orders_by_time ON county_orders (created_at)`
})

export const countyMigrations = {
  "0001_county": m0001,
  "0002_county_staff": m0002,
  "0003_events_by_type": m0003,
  "0004_login_sources": m0004,
  "0005_terminal_grid": m0005,
  "0006_orders": m0006
}

/** Applies the county's migrations still missing, on any @effect/sql client. */
export const migrateCounty = Migrator.make({})({ loader: Migrator.fromRecord(countyMigrations), table: "county_migrations" })
