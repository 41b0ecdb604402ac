// Package msgenv builds the msg and env JSON bytes that the legacy ao
// Compute Unit (servers/cu in permaweb/ao) hands to ao-loader's handle for
// each evaluated message.
//
// Why bytes and not objects: ao-loader copies JSON.stringify(msg) and
// JSON.stringify(env) onto the wasm stack, and the byte length of the first
// call's strings fixes the Lua string-hash seed, hence the iteration order of
// every table for the life of the process (Lua 5.3 seeds it from addresses
// that include a stack local). A node
// whose results must equal the legacy CU's must therefore hand the module
// exactly the CU's bytes: the CU's key order (fixed by its zod
// messageSchema), its value encodings (numbers for Epoch, Nonce, Timestamp
// and Block-Height; "Anchor":null kept; "Read-Only" always present), tags
// named From or Owner removed from msg.Tags, and JavaScript's JSON.stringify
// string escaping.
//
// Msg is the schema-shaped message; the case constructors (Scheduled,
// ColdStart, Cron, Assignment, DryRun) apply the CU's rules for each way a
// message reaches a process, and Env builds the AoGlobal object. The rules
// were read off the CU's code (servers/cu in github.com/permaweb/ao:
// effects/ao-su.js, domain/lib/loadMessages.js, domain/lib/hydrateMessages.js,
// domain/model.js messageSchema, domain/api/dryRun.js) and checked by running
// those modules.
package msgenv
