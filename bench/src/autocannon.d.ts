// autocannon@8 ships no types: the part of its API the bench uses (see its README, "API").
declare module 'autocannon' {
  export interface Histogram {
    average: number
    p50: number
    p90: number
    p99: number
    max: number
  }
  export interface RawRequest {
    method?: string
    path?: string
    headers?: Record<string, string>
    body?: string
  }
  export interface RequestStep extends RawRequest {
    setupRequest?: (req: RawRequest, context: Record<string, unknown>) => RawRequest
  }
  export interface Options extends RawRequest {
    url: string
    connections?: number
    duration?: number
    timeout?: number
    requests?: RequestStep[]
  }
  export interface Result {
    '2xx': number
    non2xx: number
    errors: number
    timeouts: number
    duration: number
    latency: Histogram
    statusCodeStats: Record<string, { count: number }>
  }
  /** An EventEmitter that is also a promise of the result. */
  export interface Instance extends PromiseLike<Result> {
    /** Every response, with its latency in (fractional) milliseconds. */
    on(
      event: 'response',
      listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void,
    ): this
  }
  function autocannon(opts: Options): Instance
  export default autocannon
}
