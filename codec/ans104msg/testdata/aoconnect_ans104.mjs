// Sends aoconnect 0.0.98's mainnet `request` with signing-format ans104
// (what every aoconnect helper does) to the URL given, so the Go test can
// decode the data items it posts.
// Usage: node aoconnect_ans104.mjs <url> <jwk.json>
import fs from 'node:fs'
import { connect, createSigner } from '@permaweb/aoconnect'

const [url, jwkPath] = process.argv.slice(2)
const jwk = JSON.parse(fs.readFileSync(jwkPath, 'utf8'))
const { request } = connect({ MODE: 'mainnet', URL: url, signer: createSigner(jwk) })

const res = await request({
  path: '/pid~process@1.0/push',
  'signing-format': 'ans104',
  target: 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE',
  Action: 'Eval',
  'require-codec': 'application/json',
  data: 'return 1 + 1',
})
if (res.status !== 200) throw new Error('capture server answered ' + res.status)
console.log('sent')
