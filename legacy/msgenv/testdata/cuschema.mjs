// cuschema.mjs: an oracle for legacy/msgenv. For each case (one JSON per
// line on stdin) it builds the message object the way the legacy CU's code
// path builds it (key insertion order of mapNode / maybePrependProcessMessage
// / cronMessagesBetweenWith / maybeAoAssignment / dryRun), parses it with a
// zod 3.24.1 schema transcribed from the CU's messageSchema (same fields,
// types and order; no passthrough on message), removes tags named From or
// Owner, and prints JSON.stringify of the msg and of the env on one line:
// {"msg":"...","env":"..."}.
import { createInterface } from 'node:readline'
import { z } from 'zod'

const rawTag = z.object({ name: z.string(), value: z.string() })
const entity = z.object({ Id: z.string(), Owner: z.string(), Tags: z.array(rawTag) })
const schema = z.object({
  ordinate: z.coerce.string(),
  name: z.string(),
  message: z.object({
    Id: z.string().nullish(),
    Signature: z.string().nullish(),
    Data: z.any().nullish(),
    Owner: z.string().min(1),
    Target: z.string(),
    Anchor: z.string().nullish(),
    From: z.string().min(1),
    'Forwarded-By': z.string().nullish(),
    Tags: z.array(rawTag),
    Epoch: z.number().nullish(),
    Nonce: z.number().nullish(),
    Timestamp: z.coerce.number(),
    'Block-Height': z.coerce.number(),
    'Hash-Chain': z.string().nullish(),
    Cron: z.boolean(),
    'Read-Only': z.boolean().default(false)
  }),
  AoGlobal: z.object({ Process: entity, Module: entity }).passthrough()
}).passthrough()

const findTag = (name, tags) => (tags || []).filter((t) => t.name === name)[0]
const mapFrom = ({ tags, owner }) => { const t = findTag('From-Process', tags); return (!t || !t.value) ? owner : t.value }
const mapForwardedBy = ({ tags, owner }) => findTag('From-Process', tags) ? owner : undefined
// opt turns the case's {"null":true} marker into null and a missing key
// into undefined.
const opt = (v) => (v && typeof v === 'object' && v.null === true) ? null : v

function build (c) {
  switch (c.kind) {
    case 'scheduled':
      return {
        Id: c.id, Signature: c.signature, Data: opt(c.data), Owner: c.owner, Anchor: opt(c.anchor),
        From: mapFrom({ tags: c.tags, owner: c.owner }), 'Forwarded-By': mapForwardedBy({ tags: c.tags, owner: c.owner }),
        Tags: c.tags, Message: c.id, Target: c.process, Epoch: parseInt(c.epoch), Nonce: parseInt(c.nonce),
        Timestamp: parseInt(c.timestamp), 'Block-Height': parseInt(c.height), 'Hash-Chain': opt(c.hashChain), Cron: false
      }
    case 'coldstart':
      return {
        Id: c.id, Signature: opt(c.signature), Data: c.data, Owner: c.owner, Target: c.id, Anchor: opt(c.anchor),
        From: mapFrom({ tags: c.tags, owner: c.owner }), Tags: c.tags, Epoch: undefined, Nonce: undefined,
        Timestamp: c.timestamp, 'Block-Height': c.height, Cron: false
      }
    case 'cron':
      return { Owner: c.owner, Target: c.process, From: c.owner, Tags: c.tags, Timestamp: c.timestamp, 'Block-Height': c.height, Cron: true }
    case 'assignment': {
      const base = {
        Message: c.id, Target: undefined, Epoch: parseInt(c.epoch), Nonce: parseInt(c.nonce), Timestamp: parseInt(c.timestamp),
        'Block-Height': parseInt(c.height), 'Hash-Chain': opt(c.hashChain), Id: c.id, Cron: false
      }
      return Object.assign({}, base, {
        Id: c.id, Signature: c.signature, Owner: c.owner, From: mapFrom({ tags: c.tags, owner: c.owner }),
        Target: c.recipient || '', Tags: c.tags, Anchor: opt(c.anchor), Data: c.excludeData ? undefined : c.data
      })
    }
    case 'dryrun':
      return {
        Timestamp: c.lastTimestamp, 'Block-Height': c.lastHeight, Cron: false, Target: c.process, ...c.body,
        From: mapFrom({ tags: c.body.Tags, owner: c.body.Owner }), 'Read-Only': true
      }
  }
  throw new Error('cuschema.mjs: unknown kind ' + c.kind)
}

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity })
const out = []
for await (const line of rl) {
  if (line === '') continue
  const c = JSON.parse(line)
  const parsed = schema.parse({ ordinate: '1', name: 'case', message: build(c), AoGlobal: c.env })
  const msg = { ...parsed.message, Tags: parsed.message.Tags.filter((t) => t.name !== 'From' && t.name !== 'Owner') }
  out.push(JSON.stringify({ msg: JSON.stringify(msg), env: JSON.stringify(parsed.AoGlobal) }))
}
process.stdout.write(out.join('\n') + '\n')
