/**
 * The import cycles of a module graph: Tarjan's strongly connected components, each component of
 * more than one module (or a module importing itself) reported once as a path through it.
 */
export function findCycles(graph: Map<string, string[]>): string[][] {
  let index = 0
  const idx = new Map<string, number>()
  const low = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: string[] = []
  const cycles: string[][] = []

  // Iterative DFS: deep import chains would overflow a recursive one.
  const visit = (start: string) => {
    const work: { node: string; next: number }[] = [{ node: start, next: 0 }]
    idx.set(start, index)
    low.set(start, index++)
    stack.push(start)
    onStack.add(start)
    while (work.length) {
      const top = work[work.length - 1]!
      const edges = graph.get(top.node) ?? []
      if (top.next < edges.length) {
        const to = edges[top.next++]!
        if (!idx.has(to)) {
          idx.set(to, index)
          low.set(to, index++)
          stack.push(to)
          onStack.add(to)
          work.push({ node: to, next: 0 })
        } else if (onStack.has(to)) low.set(top.node, Math.min(low.get(top.node)!, idx.get(to)!))
        continue
      }
      work.pop()
      const parent = work[work.length - 1]
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(top.node)!))
      if (low.get(top.node) === idx.get(top.node)) {
        const component: string[] = []
        let n: string
        do {
          n = stack.pop()!
          onStack.delete(n)
          component.push(n)
        } while (n !== top.node)
        const selfLoop = (graph.get(top.node) ?? []).includes(top.node)
        if (component.length > 1 || selfLoop) cycles.push(component.sort())
      }
    }
  }
  for (const node of [...graph.keys()].sort()) if (!idx.has(node)) visit(node)
  return cycles
}
