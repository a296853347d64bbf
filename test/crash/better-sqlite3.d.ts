// The few calls the crash harness makes to read the terminal's database directly.
declare module "better-sqlite3" {
  interface Statement {
    all(...params: ReadonlyArray<unknown>): Array<unknown>
  }
  class Database {
    constructor(file: string, options?: { readonly readonly?: boolean; readonly fileMustExist?: boolean })
    prepare(sql: string): Statement
    close(): void
  }
  export default Database
}
