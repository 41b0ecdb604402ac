// Fetches node answers over HTTP and verifies their signatures with
// http-message-signatures (httpbis.verifyMessage, the library aoconnect
// uses) and Node's crypto, as a JS client of the node would: the body's
// content-digest is recomputed, then every signature on the response's
// headers is checked. Each request is also checked with one body or
// header byte flipped, which must fail.
// Usage: node verify_answer.mjs <cases.json>, cases = [{url, headers}];
// prints [{ok, okFlipped, labels, error}].
import fs from 'node:fs'
import crypto from 'node:crypto'
import { httpbis } from 'http-message-signatures'

function keyFromKeyid(alg, keyid) {
  const raw = Buffer.from(keyid.replace(/^publickey:/, ''), 'base64url')
  if (alg === 'rsa-pss-sha512') {
    return crypto.createPublicKey({ key: { kty: 'RSA', n: raw.toString('base64url'), e: 'AQAB' }, format: 'jwk' })
  }
  if (alg === 'ed25519') {
    return crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' })
  }
  throw new Error('unsupported alg ' + alg)
}

async function verify(headers, body) {
  if (headers['content-digest'] !== undefined) {
    const want = 'sha-256=:' + crypto.createHash('sha256').update(body).digest('base64') + ':'
    if (headers['content-digest'] !== want) throw new Error('content-digest mismatch')
  }
  if (!headers['signature']) throw new Error('no signature header')
  return await httpbis.verifyMessage({
    keyLookup: async (params) => {
      const key = keyFromKeyid(params.alg, params.keyid)
      return {
        id: params.keyid,
        algs: [params.alg],
        verify: async (data, sig) => {
          if (params.alg === 'rsa-pss-sha512') {
            return crypto.verify('sha512', data, { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: crypto.constants.RSA_PSS_SALTLEN_AUTO }, sig)
          }
          return crypto.verify(null, data, key, sig)
        },
      }
    },
  }, { status: 200, headers })
}

const cases = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))
const out = []
for (const c of cases) {
  const r = { ok: false, okFlipped: true }
  try {
    const res = await fetch(c.url, { headers: c.headers })
    const body = Buffer.from(await res.arrayBuffer())
    const headers = {}
    res.headers.forEach((v, k) => { headers[k] = v })
    r.labels = (headers['signature-input'] || '').split('=')[0]
    r.ok = (await verify(headers, body)) === true
    // One byte flipped in the signed `status` header (the library must
    // reject the signature) and, when there is a body, one body byte (the
    // recomputed content-digest must no longer match the signed one).
    const tries = [[{ ...headers, status: headers['status'].replace('2', '3') }, body]]
    if (body.length > 0) {
      const badBody = Buffer.from(body)
      badBody[badBody.length >> 1] ^= 1
      tries.push([headers, badBody])
    }
    r.okFlipped = false
    for (const [h, b] of tries) {
      try {
        if ((await verify(h, b)) === true) r.okFlipped = true
      } catch (e) { /* rejected, as it must be */ }
    }
  } catch (e) {
    r.error = String(e && e.message || e)
  }
  out.push(r)
}
console.log(JSON.stringify(out))
