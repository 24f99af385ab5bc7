import type { Migration } from 'kysely'
import * as m0001 from './0001_initial.js'

/** Every Postgres migration, in order. Add a file and a line here; never edit an applied one. */
export const pgMigrations: Record<string, Migration> = {
  '0001_initial': m0001,
}
