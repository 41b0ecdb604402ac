// Signs messages with hbsig@0.1.5 and prints them as JSON
// [{url, method, headers, body (base64)}] for the Go test to verify.
// Usage: node hbsig_sign.mjs <jwk.json>
import fs from 'node:fs'
import { createSigner } from 'hbsig'

const [jwkPath] = process.argv.slice(2)
const jwk = JSON.parse(fs.readFileSync(jwkPath, 'utf8'))
const sign = createSigner(jwk, 'http://127.0.0.1:1')

const msgs = [
  { path: '/~message@1.0/set', Action: 'Eval', 'data-protocol': 'ao', count: 3 },
  { path: '/x', Action: 'Eval', data: 'print("hello")' },
  { path: '/y', Action: 'Nested', data: 'line1\nline2', list: [1, 'two'] },
]
const out = []
for (const m of msgs) {
  const s = await sign(m)
  let body = null
  if (s.body) {
    const buf = s.body.arrayBuffer ? Buffer.from(await s.body.arrayBuffer()) : Buffer.from(s.body)
    body = buf.toString('base64')
  }
  out.push({ url: s.url, method: s.method, headers: s.headers, body })
}
console.log(JSON.stringify(out))
