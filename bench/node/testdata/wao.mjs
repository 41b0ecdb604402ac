// The reference run: the same message flow as bench/node's aonode run,
// through WAO's in-memory AO (wao/test connect(): MU, SU and CU emulated
// in this Node process). Prints one JSON object.
// Env: MODULE (aos module ID), LAT_N (sequential messages), PROCS and
// PER_PROC (throughput: messages to PROCS processes, all in flight at once).
import { connect, acc, scheduler } from 'wao/test'

const MODULE = process.env.MODULE
const LAT_N = +(process.env.LAT_N ?? 100)
const PROCS = +(process.env.PROCS ?? 10)
const PER_PROC = +(process.env.PER_PROC ?? 5)
const { spawn, message, result } = connect()
const signer = acc[0].signer
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]
}
const evalCode = (i) => `n = (n or 0) + 1; h = ((h or 7) * 31 + ${i}) % 1000003; return n .. ':' .. h`
const send = async (pid, i) => {
  const mid = await message({ process: pid, signer, tags: [{ name: 'Action', value: 'Eval' }], data: evalCode(i) })
  const res = await result({ process: pid, message: mid })
  if (!res || res.Error) throw new Error(`message ${i} to ${pid}: ${JSON.stringify(res?.Error ?? res)}`)
  return res
}
try {
  const out = {}
  let t0 = performance.now()
  const pid = await spawn({ module: MODULE, scheduler, signer, tags: [{ name: 'Name', value: 'wao-bench' }] })
  out.spawnMs = performance.now() - t0
  for (let i = 0; i < 5; i++) await send(pid, i) // warm-up
  const lat = []
  for (let i = 0; i < LAT_N; i++) {
    const t = performance.now()
    await send(pid, i)
    lat.push(performance.now() - t)
  }
  out.latP50Ms = pct(lat, 50)
  out.latP99Ms = pct(lat, 99)
  const pids = []
  t0 = performance.now()
  for (let p = 0; p < PROCS; p++) {
    pids.push(await spawn({ module: MODULE, scheduler, signer, tags: [{ name: 'Name', value: 'wao-' + p }] }))
  }
  out.spawnPerSec = PROCS / ((performance.now() - t0) / 1000)
  t0 = performance.now()
  await Promise.all(pids.map(async (p) => { for (let i = 0; i < PER_PROC; i++) await send(p, i) }))
  out.msgsPerSec = (PROCS * PER_PROC) / ((performance.now() - t0) / 1000)
  out.rssMiB = process.memoryUsage().rss / 1048576
  out.procs = PROCS + 1
  out.ok = true
  console.log(JSON.stringify(out))
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: String(e?.stack ?? e) }))
  process.exitCode = 1
}
