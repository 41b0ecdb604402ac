// Phase "one": spawn a process, give it state, print {pid, slot, out}.
// Phase "two" (after the node restarted): read the old result and the
// state back; print {old, now}. Env: AONODE_URL, JWK_FILE, MODULE, PHASE, PID, SLOT.
import fs from 'node:fs'
import { connect, createSigner } from '@permaweb/aoconnect'

const signer = createSigner(JSON.parse(fs.readFileSync(process.env.JWK_FILE, 'utf8')))
const ao = connect({ MODE: 'mainnet', URL: process.env.AONODE_URL, signer })
const outData = (r) => (r.Output && typeof r.Output === 'object') ? r.Output.data : r.Output
const evalIn = async (pid, code) => {
  const slot = await ao.message({ process: pid, tags: [{ name: 'Action', value: 'Eval' }], data: code })
  return { slot, out: outData(await ao.result({ process: pid, slot })) }
}
const report = {}
try {
  if (process.env.PHASE === 'one') {
    const pid = await ao.spawn({ module: process.env.MODULE, tags: [{ name: 'Name', value: 'restart' }] })
    for (let i = 0; i < 5; i++) await evalIn(pid, 'n = (n or 0) + 1')
    const r = await evalIn(pid, "return 'n=' .. n")
    Object.assign(report, { pid, slot: r.slot, out: r.out })
  } else {
    const pid = process.env.PID
    report.old = outData(await ao.result({ process: pid, slot: Number(process.env.SLOT) }))
    report.now = (await evalIn(pid, "n = n + 1; return 'n=' .. n")).out
  }
  report.ok = true
} catch (e) {
  report.ok = false
  report.error = String(e && e.stack || e)
}
console.log(JSON.stringify(report))
