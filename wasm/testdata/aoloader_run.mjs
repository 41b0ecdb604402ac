// Runs a message sequence through @permaweb/ao-loader the way the legacy CU
// does (the previous message's Memory is handed to the next call; a message
// that throws or whose result has Error keeps the previous Memory) and prints one JSON line per message:
// the result fields plus the memory size and its SHA-256, so the Go host can
// be compared with the reference byte for byte.
//
// usage: node aoloader_run.mjs MODULE FORMAT MESSAGES.jsonl ENV.json
import { readFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const AoLoader = require('@permaweb/ao-loader')

const [modPath, format, msgsPath, envPath] = process.argv.slice(2)
const wasm = readFileSync(modPath)
let envText = readFileSync(envPath, 'utf8')
if (envText.endsWith('\n')) envText = envText.slice(0, -1)
const env = JSON.parse(envText)
const lines = readFileSync(msgsPath, 'utf8').split('\n').filter((l) => l.length > 0)

const handle = await AoLoader(wasm, { format, inputEncoding: 'JSON-V1', outputEncoding: 'JSON-V1', memoryLimit: '1-gb', computeLimit: 9e12, extensions: [] })
let memory = null
const out = []
for (const line of lines) {
  const msg = JSON.parse(line)
  try {
    const r = await handle(memory, msg, env)
    // The legacy CU's rule: a result with Error keeps the previous memory.
    if (r.Error === undefined) memory = r.Memory
    const rec = { Output: r.Output, Messages: r.Messages, Spawns: r.Spawns, Assignments: r.Assignments }
    if (r.Error !== undefined) rec.Error = r.Error
    if (r.GasUsed !== undefined) rec.GasUsed = r.GasUsed
    rec.memSize = memory.byteLength
    rec.memSha256 = createHash('sha256').update(Buffer.from(memory.buffer, memory.byteOffset, memory.byteLength)).digest('hex')
    out.push(JSON.stringify(rec))
  } catch (e) {
    out.push(JSON.stringify({ Error: String(e && e.message ? e.message : e), memSize: memory ? memory.byteLength : 0 }))
  }
}
process.stdout.write(out.join('\n') + '\n')
