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
      // found by the review: a final dot, bare in-cluster names, cluster service names
      'http://metadata.google.internal./computeMetadata/v1/',
      'http://localhost./',
      'http://clickhouse:8123/',
      'http://kafka-bootstrap.kafka.svc:9092/',
      'http://redis.default.svc.cluster.local/',
      // numeric spellings the URL parser turns into 127.0.0.1, and IPv6 carrying an internal IPv4
      'http://2130706433/',
      'http://0x7f.1/',
      'http://127.1/',
      'http://[::ffff:7f00:1]/',
      'http://[64:ff9b::a9fe:a9fe]/',
      'http://[2002:a00:1::]/',
      'http://0.0.0.0/',
    ])
      expect(isInternalDestination(u), u).toBe(true)
  })
  it('public hosts are not', () => {
    for (const u of [
      'https://hooks.example.com/luneo',
      'https://8.8.8.8/',
      'http://172.32.0.1/',
      'https://[2606:4700:4700::1111]/',
    ])
      expect(isInternalDestination(u), u).toBe(false)
  })
})
