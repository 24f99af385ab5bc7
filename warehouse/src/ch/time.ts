/**
 * ClickHouse DateTime64(3) text for a time, in UTC (`2025-01-31 09:15:00.123`): what ClickHouse
 * itself prints, so query parameters (`{from:DateTime64(3)}`) and JSONEachRow inserts accept it.
 */
export function chDateTime(at: Date | number): string {
  return new Date(at).toISOString().replace('T', ' ').replace('Z', '')
}
