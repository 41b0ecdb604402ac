// Reads one JSON request per line on stdin and prints, per line, what
// JavaScript's JSON.stringify makes of it:
//   {"hex":"..."}   the string Buffer.from(hex,'hex').toString('utf8') decodes
//   {"u16":[...]}   the string made of these UTF-16 code units
//   {"int":"..."}   the Number parseInt gives for this decimal string
import { createInterface } from 'node:readline'

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity })
const out = []
for await (const line of rl) {
  if (line === '') continue
  const req = JSON.parse(line)
  if ('hex' in req) out.push(JSON.stringify(Buffer.from(req.hex, 'hex').toString('utf8')))
  else if ('u16' in req) out.push(JSON.stringify(String.fromCharCode(...req.u16)))
  else if ('int' in req) out.push(JSON.stringify(parseInt(req.int, 10)))
  else throw new Error('stringify.mjs: unknown request ' + line)
}
process.stdout.write(out.join('\n') + '\n')
