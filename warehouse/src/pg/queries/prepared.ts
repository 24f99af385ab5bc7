const MARK = '/* luneo:prepared '

/**
 * A hot statement's text, marked: on a PostgreSQL server it is sent as a named prepared statement
 * (parsed once per connection, its plan reusable) instead of being parsed and planned on every
 * call. Only marked texts are named, so their number per connection stays that of the marked
 * queries in the code. PGlite sees a comment. Run it with `db.executeQuery(CompiledQuery.raw(…))`.
 */
export function preparedSql(name: string, text: string): string {
  if (!/^[a-z_]+$/.test(name)) throw new Error(`prepared statement name must be [a-z_]+: ${name}`)
  return `${MARK}${name} */\n${text}`
}

const names = new Map<string, string>()

/**
 * The statement name for a query text, or undefined for an unmarked one. One name per distinct
 * text: a marked template whose text changed (another code version) is another statement.
 */
export function preparedName(text: string): string | undefined {
  if (!text.startsWith(MARK)) return undefined
  let name = names.get(text)
  if (name === undefined) {
    name = `luneo_${text.slice(MARK.length, text.indexOf(' */'))}_${names.size}`
    names.set(text, name)
  }
  return name
}
