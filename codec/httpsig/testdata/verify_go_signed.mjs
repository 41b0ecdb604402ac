// Verifies Go-signed messages with http-message-signatures
// (httpbis.verifyMessage, the version aoconnect 0.0.98 uses) and Node's
// crypto.verify: RSA-PSS/SHA-512 with salt length auto-detected, Ed25519,
// and ECDSA secp256k1/SHA-256.
// Usage: node verify_go_signed.mjs <cases.json>; prints [{ok, error}].
import fs from 'node:fs'
import crypto from 'node:crypto'
import { httpbis } from 'http-message-signatures'

const cases = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))

function keyFromKeyid(alg, keyid) {
  const raw = Buffer.from(keyid.replace(/^publickey:/, ''), 'base64url')
  if (alg === 'rsa-pss-sha512') {
    return crypto.createPublicKey({ key: { kty: 'RSA', n: raw.toString('base64url'), e: 'AQAB' }, format: 'jwk' })
  }
  if (alg === 'ed25519') {
    return crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' })
  }
  if (alg === 'ecdsa-secp256k1-sha256') {
    const full = crypto.ECDH.convertKey(raw, 'secp256k1', undefined, undefined, 'uncompressed')
    return crypto.createPublicKey({ key: { kty: 'EC', crv: 'secp256k1', x: full.subarray(1, 33).toString('base64url'), y: full.subarray(33).toString('base64url') }, format: 'jwk' })
  }
  throw new Error('unknown alg ' + alg)
}

const results = []
for (const c of cases) {
  try {
    // The body's digest is checked as a client would: recompute it.
    if (c.body !== null) {
      const body = Buffer.from(c.body, 'base64')
      const want = 'sha-256=:' + crypto.createHash('sha256').update(body).digest('base64') + ':'
      if (c.headers['content-digest'] !== want) throw new Error('content-digest mismatch')
    }
    const ok = await httpbis.verifyMessage({
      keyLookup: async (params) => {
        const key = keyFromKeyid(params.alg, params.keyid)
        return {
          id: params.keyid,
          algs: [params.alg],
          verify: async (data, sig) => {
            if (params.alg === 'rsa-pss-sha512') {
              return crypto.verify('sha512', data, { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: crypto.constants.RSA_PSS_SALTLEN_AUTO }, sig)
            }
            if (params.alg === 'ed25519') return crypto.verify(null, data, key, sig)
            return crypto.verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, sig.subarray(0, 64))
          },
        }
      },
    }, { method: c.method, url: c.url, headers: c.headers })
    results.push({ ok: ok === true })
  } catch (e) {
    results.push({ ok: false, error: String(e && e.message || e) })
  }
}
console.log(JSON.stringify(results))
