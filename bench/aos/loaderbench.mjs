// loaderbench.mjs: times ao-loader 0.0.49 per message, used as the legacy CU
// uses it (each call gets the Memory the previous call returned, a full
// copy). Only the handle call is timed; the first `--warmup` messages (boot
// and set-up) are run but not counted.
//
//   node --experimental-wasm-memory64 loaderbench.mjs --module F --format FMT \
//        --messages M.jsonl --env E.json --warmup N
//
// Prints one JSON object: {"times_ms":[...], "errors":n}.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { performance } from 'node:perf_hooks'

const require = createRequire(import.meta.url)
const AoLoader = require('@permaweb/ao-loader')

const args = {}
const argv = process.argv.slice(2)
for (let i = 0; i < argv.length; i += 2) args[argv[i].replace(/^--/, '')] = argv[i + 1]
for (const k of ['module', 'format', 'messages', 'env']) {
  if (!args[k]) { process.stderr.write(`loaderbench.mjs: --${k} is required\n`); process.exit(2) }
}
const warmup = parseInt(args.warmup || '1', 10)
let envText = readFileSync(args.env, 'utf8')
if (envText.endsWith('\n')) envText = envText.slice(0, -1)
const env = JSON.parse(envText)
const msgs = readFileSync(args.messages, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l))

const handle = await AoLoader(readFileSync(args.module), {
  format: args.format, inputEncoding: 'JSON-1', outputEncoding: 'JSON-1',
  memoryLimit: '1073741824', computeLimit: '9000000000000', extensions: []
})
let memory = null
const times = []
let errors = 0
for (let i = 0; i < msgs.length; i++) {
  const t0 = performance.now()
  const res = await handle(memory, msgs[i], env)
  const dt = performance.now() - t0
  if (res.Error !== undefined) errors++
  else memory = res.Memory
  if (i >= warmup) times.push(dt)
}
process.stdout.write(JSON.stringify({ times_ms: times, errors }) + '\n')
