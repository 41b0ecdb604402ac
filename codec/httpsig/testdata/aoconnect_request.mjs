// Sends HTTP-signed requests with aoconnect's mainnet `request` (signing
// format httpsig) to the URL given, so the Go test can capture and verify
// exactly what the client puts on the wire.
// Usage: node aoconnect_request.mjs <url> <jwk.json>
import fs from 'node:fs'
import { connect, createSigner } from '@permaweb/aoconnect'

const [url, jwkPath] = process.argv.slice(2)
const jwk = JSON.parse(fs.readFileSync(jwkPath, 'utf8'))
const signer = createSigner(jwk) // one signer per key (rate-limited per key)
const { request } = connect({ MODE: 'mainnet', URL: url, signer })

const calls = [
  // GET: aoconnect signs content-digest and inline-body-key but sends no body.
  { path: '/cap/get', method: 'GET', 'signing-format': 'httpsig', Action: 'Eval', count: 5, data: 'hello\nworld' },
  // POST with one body value (inline body).
  { path: '/cap/post', method: 'POST', 'signing-format': 'httpsig', Action: 'Eval', data: 'print("hi")\n' },
  // POST with two body values (multipart).
  { path: '/cap/multi', method: 'POST', 'signing-format': 'httpsig', Action: 'Big', data: 'd\n', big: 'x'.repeat(5000) },
  // Only headers.
  { path: '/cap/plain', method: 'POST', 'signing-format': 'httpsig', Action: 'Ping', Target: 'abc', tags: ['a', 'b'] },
]
for (const c of calls) {
  const res = await request(c)
  if (res.status !== 200) throw new Error(`capture server answered ${res.status} for ${c.path}`)
}
console.log('sent', calls.length)
