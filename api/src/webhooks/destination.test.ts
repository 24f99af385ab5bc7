import { describe, expect, it } from 'vitest'
import { isInternalDestination } from './destination.js'

describe('webhook destinations', () => {
  it('internal addresses and local names are internal', () => {
    for (const u of [
      'http://localhost/x',
      'http://127.0.0.1:8080/',
      'http://10.1.2.3/',
      'http://172.16.0.1/',
      'http://192.168.1.10/',
      'http://169.254.169.254/latest/meta-data',
      'http://100.64.0.1/',
      'http://[::1]/',
      'http://[fd00::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://db.internal/',
      'http://printer.local/',
    ])
      expect(isInternalDestination(u), u).toBe(true)
  })
  it('public hosts are not', () => {
    for (const u of [
      'https://hooks.example.com/luneo',
      'https://8.8.8.8/',
      'http://172.32.0.1/',
      'https://[2001:db8::1]/',
    ])
      expect(isInternalDestination(u), u).toBe(false)
  })
})
