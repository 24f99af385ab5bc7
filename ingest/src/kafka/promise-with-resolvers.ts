// @platformatic/kafka 2 declares Node ≥ 22.22; on Node 20 (this repo's floor) the one API it uses
// that Node 20 lacks is Promise.withResolvers (ES2024). Defined here, as the spec defines it, and
// imported before the library (ESM evaluates imports in order). Gone once the floor is Node 22.
type WithResolvers = <T>() => {
  promise: Promise<T>
  resolve: (value: T | PromiseLike<T>) => void
  reject: (reason?: unknown) => void
}

const P = Promise as unknown as { withResolvers?: WithResolvers }
P.withResolvers ??= function withResolvers<T>() {
  let resolve!: (value: T | PromiseLike<T>) => void
  let reject!: (reason?: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

export {}
