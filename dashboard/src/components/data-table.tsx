'use client'
// A table and its CSV from one list of columns over one list of rows: the download holds exactly
// the rows the table shows, in its order. Cells that have conversations behind them link to the
// report (lib/drill.ts); the CSV carries the API's raw values, not their formatted text.
import { DrillLink } from '@/components/drill-link'
import { toCsv, type Cell } from '@/lib/csv'

export interface Column<R> {
  header: string
  /** What the cell shows. */
  text: (r: R) => string
  /** What the CSV holds (default: the shown text). */
  csv?: (r: R) => Cell
  /** The conversations behind the cell, if any. */
  href?: (r: R) => string | null
  numeric?: boolean
}

export function DownloadCsv({ name, csv, label }: { name: string; csv: () => string; label: string }) {
  function download() {
    const url = URL.createObjectURL(new Blob([csv()], { type: 'text/csv;charset=utf-8' }))
    const a = document.createElement('a')
    a.href = url
    a.download = name
    document.body.appendChild(a)
    a.click()
    a.remove()
    // The browser has the file once the click is handled; the URL only holds memory after that.
    setTimeout(() => URL.revokeObjectURL(url), 0)
  }
  return (
    <button
      type="button"
      onClick={download}
      className="rounded border border-gray-300 bg-white px-2 py-1 text-sm hover:bg-gray-100"
    >
      {label}
    </button>
  )
}

export function DataTable<R>(p: {
  caption: string
  rows: R[]
  columns: Column<R>[]
  rowKey: (r: R) => string
  csvName: string
  testId: string
}) {
  const csv = () =>
    toCsv(
      p.columns.map((c) => c.header),
      p.rows.map((r) => p.columns.map((c) => (c.csv ? c.csv(r) : c.text(r)))),
    )
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="text-sm font-medium text-gray-800">{p.caption}</h3>
        <DownloadCsv
          name={p.csvName}
          csv={csv}
          label={`Download CSV (${p.rows.length} ${p.rows.length === 1 ? 'row' : 'rows'})`}
        />
      </div>
      <div className="overflow-x-auto rounded border border-gray-200 bg-white">
        <table className="min-w-full text-left text-sm" data-testid={p.testId}>
          <caption className="sr-only">{p.caption}</caption>
          <thead className="bg-gray-100 text-gray-800">
            <tr>
              {p.columns.map((c) => (
                <th
                  key={c.header}
                  scope="col"
                  className={`px-3 py-2 font-medium ${c.numeric ? 'text-right' : ''}`}
                >
                  {c.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {p.rows.map((r) => (
              <tr key={p.rowKey(r)} data-key={p.rowKey(r)} className="border-t border-gray-100">
                {p.columns.map((c) => {
                  const href = c.href?.(r)
                  return (
                    <td
                      key={c.header}
                      className={`px-3 py-2 ${c.numeric ? 'text-right tabular-nums' : ''}`}
                      data-col={c.header}
                      data-value={c.csv ? String(c.csv(r) ?? '') : undefined}
                    >
                      <DrillLink href={href}>{c.text(r)}</DrillLink>
                    </td>
                  )
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}
