// Drives an aonode node with @permaweb/aoconnect in mainnet mode and
// prints a JSON report of what it observed; the Go test asserts on it.
// Env: AONODE_URL, JWK_FILE, MODULE.
import fs from 'node:fs'
import { connect, createSigner } from '@permaweb/aoconnect'

const URL = process.env.AONODE_URL
const MODULE = process.env.MODULE
const jwk = JSON.parse(fs.readFileSync(process.env.JWK_FILE, 'utf8'))
// One signer for the whole run: createSigner allows 100 per key per minute.
const signer = createSigner(jwk)
const ao = connect({ MODE: 'mainnet', URL, signer })
const report = {}
const log = (...a) => console.error('[e2e]', ...a)

const evalIn = async (pid, code) => {
  const slot = await ao.message({ process: pid, tags: [{ name: 'Action', value: 'Eval' }], data: code })
  return { slot, res: await ao.result({ process: pid, slot }) }
}
const outData = (r) => (r.Output && typeof r.Output === 'object') ? r.Output.data : r.Output
// Unsigned GET of a patch@1.0 cache key, polled until pred holds.
const cache = async (pid, key, pred, timeoutMs = 60000) => {
  const end = Date.now() + timeoutMs
  let last
  while (Date.now() < end) {
    const res = await fetch(`${URL}/${pid}~process@1.0/now/cache/${key}`)
    last = { status: res.status, body: await res.text() }
    if (res.ok && pred(last.body)) return last.body
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`cache ${pid}/${key}: timed out, last ${JSON.stringify(last)}`)
}

try {
  report.address = await (await fetch(`${URL}/~meta@1.0/info/address`)).text()

  // spawn: the process ID comes back in the "process" header.
  const A = await ao.spawn({ module: MODULE, tags: [{ name: 'Name', value: 'e2e-a' }] })
  const B = await ao.spawn({ module: MODULE, tags: [{ name: 'Name', value: 'e2e-b' }] })
  report.A = A; report.B = B
  log('spawned', A, B)

  // message + result by slot
  const e1 = await evalIn(A, 'x = 41; return x + 1')
  report.evalSlot = e1.slot
  report.evalOutput = outData(e1.res)
  report.evalError = e1.res.Error ?? null

  // result by message ID
  const mid = await ao.message({ process: A, tags: [{ name: 'Action', value: 'Eval' }], data: 'return "by-id"', returnMessageId: true })
  report.byIdOutput = outData(await ao.result({ process: A, message: mid }))

  // results: the latest slot's result as one edge
  const rs = await ao.results({ process: A })
  report.resultsEdges = rs.edges.length
  report.resultsCursor = rs.edges[0]?.cursor
  report.slotCurrent = await (await fetch(`${URL}/${A}/slot/current`)).text()

  // dryrun: runs with the signed item's data, keeps nothing
  const dr = await ao.dryrun({ process: A, tags: [{ name: 'Action', value: 'Eval' }], data: 'x = 1000; return x' })
  report.dryrunOutput = outData(dr)
  report.afterDryrun = outData((await evalIn(A, 'return x')).res)

  // patch@1.0: state exposed for HTTP reads
  await evalIn(A, "Send({device='patch@1.0', cache={hello='world'}}); return 'ok'")
  report.cacheHello = await (await fetch(`${URL}/${A}~process@1.0/compute/cache/hello`)).text()

  // process to process: B answers A's Ping; A records the Pong.
  await evalIn(B, "Handlers.add('ping', 'Ping', function(msg) msg.reply({Action='Pong', Data='pong:' .. msg.Data}) end); return 'ok'")
  await evalIn(A, "Handlers.add('pong', 'Pong', function(msg) Send({device='patch@1.0', cache={got=msg.Data}}) end); Send({Target='" + B + "', Action='Ping', Data='hi'}); return 'sent'")
  report.pong = await cache(A, 'got', (b) => b.startsWith('pong:'))
  log('pong', report.pong)

  // spawn from a process: receive() resolves on the MU's Spawned notice.
  await evalIn(A, "local m = Spawn(ao.env.Module.Id, {Data='', Tags={Name='child', Authority=ao.authorities[1]}}).receive(); Send({device='patch@1.0', cache={child=m.Process}}); return 'spawning'")
  report.child = await cache(A, 'child', (b) => b.length === 43)
  report.childSlot = await (await fetch(`${URL}/${report.child}/slot/current`)).text()
  log('child', report.child)

  // token: T holds balances for A, B and D; transfers emit Debit/Credit notices.
  const D = await ao.spawn({ module: MODULE, tags: [{ name: 'Name', value: 'e2e-d' }] })
  const T = await ao.spawn({ module: MODULE, tags: [{ name: 'Name', value: 'e2e-token' }] })
  report.D = D; report.T = T
  const notes = "Handlers.add('notice', function(m) return (m.Action == 'Debit-Notice' or m.Action == 'Credit-Notice') and 1 or 0 end, function(m) Notes = Notes or {}; table.insert(Notes, m.Action .. ':' .. m.Quantity); Send({device='patch@1.0', cache={notes=table.concat(Notes, ',')}}) end); return 'ok'"
  for (const h of [A, B, D]) await evalIn(h, notes)
  const token = `Balances = {['${A}']='100', ['${B}']='0', ['${D}']='0'}
Handlers.add('transfer', 'Transfer', function(msg)
  local q = tonumber(msg.Quantity)
  local have = tonumber(Balances[msg.From] or '0')
  if q == nil or q <= 0 or have < q then
    msg.reply({Action='Transfer-Error', Error='insufficient balance'})
    return
  end
  Balances[msg.From] = tostring(have - q)
  Balances[msg.Recipient] = tostring(tonumber(Balances[msg.Recipient] or '0') + q)
  ao.send({Target=msg.From, Action='Debit-Notice', Recipient=msg.Recipient, Quantity=msg.Quantity})
  ao.send({Target=msg.Recipient, Action='Credit-Notice', Sender=msg.From, Quantity=msg.Quantity})
  Send({device='patch@1.0', cache={balances=Balances}})
end)
return 'token'`
  await evalIn(T, token)
  await evalIn(A, `Send({Target='${T}', Action='Transfer', Recipient='${B}', Quantity='30'}); return 'ok'`)
  report.notesB1 = await cache(B, 'notes', (b) => b.includes('Credit-Notice:30'))
  await evalIn(B, `Send({Target='${T}', Action='Transfer', Recipient='${D}', Quantity='10'}); return 'ok'`)
  report.notesD = await cache(D, 'notes', (b) => b.includes('Credit-Notice:10'))
  report.notesA = await cache(A, 'notes', (b) => b.includes('Debit-Notice'))
  report.notesB = await cache(B, 'notes', (b) => b.includes('Debit-Notice'))
  report.balances = JSON.parse(await cache(T, 'balances', (b) => b.includes('"10"')))
  report.ok = true
} catch (e) {
  report.ok = false
  report.error = String(e && e.stack || e)
}
console.log(JSON.stringify(report))
