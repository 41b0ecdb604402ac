// A process with an endless loop and a memory bomb among its messages,
// driven with aoconnect mainnet in phases (the Go test measures the node
// and restarts it between them). Env: AONODE_URL, JWK_FILE, MODULE,
// PHASE, PID, SLOTS.
//   one:   spawn; Eval X = 1, the loop, return X
//   two:   Eval the memory bomb, return X
//   three: (after a restart) the result of every slot in SLOTS again
// Each eval step reports {slot, out, error, raw} (raw: the whole result as
// aoconnect gives it); phase three reports {results: {slot: raw}}.
import fs from 'node:fs'
import { connect, createSigner } from '@permaweb/aoconnect'

const signer = createSigner(JSON.parse(fs.readFileSync(process.env.JWK_FILE, 'utf8')))
const ao = connect({ MODE: 'mainnet', URL: process.env.AONODE_URL, signer })
const outData = (r) => (r.Output && typeof r.Output === 'object') ? r.Output.data : r.Output
const evalIn = async (pid, code) => {
  const slot = await ao.message({ process: pid, tags: [{ name: 'Action', value: 'Eval' }], data: code })
  const res = await ao.result({ process: pid, slot })
  return { slot: String(slot), out: outData(res) ?? null, error: res.Error ?? null, raw: JSON.stringify(res) }
}
const report = {}
try {
  if (process.env.PHASE === 'one') {
    report.pid = await ao.spawn({ module: process.env.MODULE, tags: [{ name: 'Name', value: 'runaway' }] })
    report.steps = []
    for (const code of ['X = 1', 'while true do end', 'return X']) report.steps.push(await evalIn(report.pid, code))
  } else if (process.env.PHASE === 'two') {
    report.steps = []
    for (const code of ["local t={} for i=1,1e9 do t[i]=string.rep('x',1e6)..i end", 'return X']) {
      report.steps.push(await evalIn(process.env.PID, code))
    }
  } else {
    report.results = {}
    for (const slot of process.env.SLOTS.split(',')) {
      report.results[slot] = JSON.stringify(await ao.result({ process: process.env.PID, slot }))
    }
    report.now = await evalIn(process.env.PID, 'return X')
  }
  report.ok = true
} catch (e) {
  report.ok = false
  report.error = String(e && e.stack || e)
}
console.log(JSON.stringify(report))
