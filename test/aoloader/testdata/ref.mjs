// ref.mjs: the reference side of the ao-loader differential test.
//
// Runs a message sequence through @permaweb/ao-loader the way the legacy ao
// CU does (servers/cu effects/worker/evaluate.js), and prints one JSON line
// per message in the shape of `aonode exec`:
//   {"Output":..,"Messages":..,"Spawns":..,"Assignments":..[,"Error":..][,"Patches":..][,"GasUsed":..]}
//
//   node --experimental-wasm-memory64 ref.mjs --module F --format FMT \
//        --messages M.jsonl --env E.json [--memory-in IMG.gz] [--memory-out IMG.gz] \
//        [--memsize-out SIZES.txt] [--compute-limit N]
//
// The CU's rules it follows:
// - each call gets the Memory the previous call returned (a copy);
// - when a result has Error (or the loader throws: ok:false, a trap), the
//   memory rolls back to the one before that message, and the instance is
//   discarded, so the next message runs on a freshly booted instance with the
//   previous memory copied over it.
// ao-loader JSON.stringifies the msg and env objects it is given; this
// script checks that JSON.stringify(JSON.parse(line)) reproduces each line
// byte for byte (and the env likewise), so that the module sees exactly the
// bytes in the files, and fails loudly when it does not.
//
// --memory-in starts from a gzipped memory image (the CU's checkpoint
// format); --memory-out writes the final memory gzipped; --memsize-out
// writes the memory byte length after each message, one per line.
// It installs nothing: the Go test puts it next to an installed ao-loader.
import { readFileSync, writeFileSync } from 'node:fs'
import { gzipSync, gunzipSync } from 'node:zlib'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const AoLoader = require('@permaweb/ao-loader')

const out = (s) => process.stdout.write(s)
const fail = (msg) => { process.stderr.write('ref.mjs: ' + msg + '\n'); process.exit(2) }

function parseArgs (argv) {
  const args = {}
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (!a.startsWith('--')) fail(`unexpected argument ${a}`)
    const v = argv[++i]
    if (v === undefined) fail(`${a} needs a value`)
    args[a.slice(2)] = v
  }
  for (const k of ['module', 'format', 'messages', 'env']) if (!args[k]) fail(`--${k} is required`)
  return args
}

// canonical parses text as JSON and insists that JSON.stringify gives back
// exactly text, since that is what ao-loader will hand the module.
function canonical (text, where) {
  let v
  try { v = JSON.parse(text) } catch (e) { fail(`${where}: not JSON: ${e.message}`) }
  const again = JSON.stringify(v)
  if (again !== text) {
    let i = 0
    while (i < text.length && text[i] === again[i]) i++
    fail(`${where}: JSON.stringify(JSON.parse(line)) differs from the line at UTF-16 offset ${i}: ` +
      `line has ${JSON.stringify(text.slice(i, i + 20))}, JSON.stringify gives ${JSON.stringify(again.slice(i, i + 20))}`)
  }
  return v
}

const args = parseArgs(process.argv.slice(2))
const wasm = readFileSync(args.module)
let envText = readFileSync(args.env, 'utf8')
if (envText.endsWith('\n')) envText = envText.slice(0, -1)
const env = canonical(envText, args.env)
const lines = readFileSync(args.messages, 'utf8').split('\n')

const options = {
  format: args.format,
  inputEncoding: 'JSON-1',
  outputEncoding: 'JSON-1',
  memoryLimit: '1073741824',
  computeLimit: args['compute-limit'] || '9000000000000',
  extensions: []
}

let memory = null
if (args['memory-in']) memory = new Uint8Array(gunzipSync(readFileSync(args['memory-in'])))

let handle = null
const sizes = []
for (let n = 0; n < lines.length; n++) {
  const line = lines[n]
  if (line === '') continue
  const msg = canonical(line, `${args.messages}:${n + 1}`)
  if (!handle) handle = await AoLoader(wasm, { ...options })
  let res
  try {
    res = await handle(memory, msg, env)
  } catch (err) {
    res = { Error: typeof err === 'string' ? err : String(err && err.message !== undefined ? err.message : err) }
  }
  const line2 = {
    Output: res.Output,
    Messages: res.Messages,
    Spawns: res.Spawns,
    Assignments: res.Assignments
  }
  if (res.Error !== undefined) line2.Error = res.Error
  if (res.Patches !== undefined) line2.Patches = res.Patches
  if (res.GasUsed !== undefined) line2.GasUsed = res.GasUsed
  if (res.Error !== undefined) {
    handle = null // the CU discards the instance after an error
  } else {
    memory = res.Memory
  }
  sizes.push(memory ? memory.byteLength : 0)
  out(JSON.stringify(line2) + '\n')
}
if (args['memory-out']) {
  if (!memory) fail('--memory-out: no message was evaluated successfully')
  writeFileSync(args['memory-out'], gzipSync(memory, { level: 1 }))
}
if (args['memsize-out']) writeFileSync(args['memsize-out'], sizes.join('\n') + '\n')
