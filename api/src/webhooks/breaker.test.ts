import { describe, expect, it } from 'vitest'
import { DestinationBreakers, destinationOf } from './breaker.js'

describe('destination breakers', () => {
  const b = () => new DestinationBreakers({ threshold: 3, coolDownMs: 1_000, maxCoolDownMs: 3_000 })

  it('opens after threshold failures in a row, per scheme/host/port, and a success closes it', () => {
    const x = b()
    x.record('https://a.example/hook', false, 0)
    x.record('https://a.example/other', false, 0)
    expect(x.openUntil('https://a.example/hook', 0)).toBeNull()
    x.record('https://a.example/hook', false, 10)
    expect(x.openUntil('https://a.example/any', 10)).toBe(1_010)
    expect(x.openUntil('https://b.example/hook', 10)).toBeNull()
    expect(x.openUntil('https://a.example/hook', 1_010)).toBeNull() // the cool-down is over: probe
    x.record('https://a.example/hook', true, 1_020)
    expect(x.openUntil('https://a.example/hook', 1_020)).toBeNull()
  })

  it('doubles the cool-down after each failed probe, up to the cap', () => {
    const x = b()
    for (let i = 0; i < 3; i++) x.record('http://h:1/', false, 0)
    expect(x.openUntil('http://h:1/', 0)).toBe(1_000)
    x.record('http://h:1/', false, 1_000)
    expect(x.openUntil('http://h:1/', 1_000)).toBe(3_000)
    x.record('http://h:1/', false, 3_000)
    expect(x.openUntil('http://h:1/', 3_000)).toBe(6_000) // capped at 3 s
  })

  it('keys by origin', () => {
    expect(destinationOf('https://Hooks.Example.com:443/a?b')).toBe('https://hooks.example.com')
    expect(destinationOf('http://127.0.0.1:8080/x')).toBe('http://127.0.0.1:8080')
  })
})
