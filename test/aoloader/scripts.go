package aoloader

import (
	"fmt"
	"strings"

	"aonode/legacy/msgenv"
)

func tags(kv ...string) []msgenv.Tag {
	out := make([]msgenv.Tag, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, msgenv.Tag{Name: kv[i], Value: kv[i+1]})
	}
	return out
}

// awkwardData is message data with unicode, controls and bytes that are not
// UTF-8 (which reach the process as U+FFFD, as the CU's text decoding
// leaves them: the builder encodes them so).
const awkwardData = "héllo wörld 日本 😀 \u2028\u2029 <&> \"q\" \\ \x01\x1f\x7f tab\tnl\n end \xff\xfe\xc3( bin"

// luaHex is a Lua expression giving the hex of the string expression e.
func luaHex(e string) string {
	return "((" + e + "):gsub('.', function(c) return string.format('%02x', c:byte()) end))"
}

// AOSSequence is the scripted sequence for an aos module (1.x or 2.x):
// boot, Evals of expressions and multi-line code, handlers added by Eval
// and then matched, Send/Spawn/Assign from Lua, print, error() and runtime
// errors with the rollback probe, json encoding of wide tables, 1 MB data,
// unicode and binary-looking data, os.time, math.random, Inbox growth, a
// token balance table over transfers, pushed, cron, assignment and
// read-only messages. transfers sets the number of Transfer messages.
func AOSSequence(o Options, transfers int) *Seq {
	s := NewSeq(o)
	s.Eval("1 + 1")
	s.Eval("return 'hello ' .. 'world'")
	s.Eval("print('printed line'); return 7")
	s.Eval(`local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end
Fibs = {}
for i = 1, 20 do Fibs[i] = fib(i) end
return table.concat(Fibs, ',')`)
	s.Eval(`Counter = 0
Handlers.add('count', Handlers.utils.hasMatchingTag('Action', 'Count'), function(msg)
  Counter = Counter + 1
  ao.send({ Target = msg.From, Action = 'Counted', Data = tostring(Counter) })
end)
Handlers.add('echo', Handlers.utils.hasMatchingTag('Action', 'Echo'), function(msg)
  ao.send({ Target = msg.From, Data = msg.Data, Tags = { Echoed = 'yes', Size = tostring(#msg.Data) } })
end)
return #Handlers.list`)
	for range 3 {
		s.Message(tags("Action", "Count"), "")
	}
	s.Eval("return Counter")
	s.Message(tags("Action", "Echo", "Extra", "tag value"), awkwardData)
	s.Eval("return " + luaHex("Inbox[#Inbox] and Inbox[#Inbox].Data or ''"))
	// Send, Spawn and Assign from Lua.
	s.Eval(fmt.Sprintf("Send({ Target = %q, Action = 'Hello', Data = 'hi there', ['X-Custom'] = 'c' }); return 'sent'", ID("other-process")))
	s.Eval(fmt.Sprintf("ao.spawn(%q, { Data = 'child data', Tags = { Name = 'child', ['Custom-Tag'] = 'x' } }); return 'spawned'", s.Env.Module.ID))
	s.Eval(fmt.Sprintf("ao.assign({ Processes = { %q, %q }, Message = %q }); return 'assigned'", ID("p1"), ID("p2"), ID("assigned-msg")))
	// Errors, and the rollback probe: Leaked is set before the error and
	// must be unset afterwards.
	s.Eval("error('deliberate failure')")
	s.Eval("Leaked = 42; error({ code = 7 })")
	s.Eval("return tostring(Leaked)")
	s.Eval("local t = nil; return t.field")
	s.Eval("Leaked2 = 'yes'; local x = 1 + {}")
	s.Eval("return tostring(Leaked2)")
	s.Eval("this is not lua (")
	// json of wide tables: the key order follows the table's hash order.
	s.Eval(`local json = require('json')
local t = {}
for i = 1, 60 do t['key' .. i] = i end
t.nested = { a = 1, b = { 'x', 'y' }, c = { d = true, e = 'f' } }
return json.encode(t)`)
	s.Eval(`local keys = {}
for k in pairs(_G) do keys[#keys + 1] = k end
return table.concat(keys, ' ')`)
	s.Eval("return os.time()")
	s.Eval("return math.random(1, 1000000) .. ' ' .. math.random(1, 1000000) .. ' ' .. math.random()")
	// 1 MB of data, then unicode and binary-looking data.
	var big strings.Builder
	for i := 0; big.Len() < 1<<20; i++ {
		fmt.Fprintf(&big, "line %07d: the quick brown fox jumps over the lazy dog\n", i)
	}
	s.Message(tags("Action", "Big"), big.String())
	s.Eval("return #Inbox[#Inbox].Data .. ' ' .. string.sub(Inbox[#Inbox].Data, -20)")
	s.Message(tags("Action", "Binary", "Note", "ünïcödé tag ✓"), awkwardData)
	s.Eval("local m = Inbox[#Inbox]; return " + luaHex("m.Data") + " .. ' ' .. tostring(m.Note or m.Tags.Note)")
	// Inbox growth.
	for i := range 8 {
		s.Message(tags("Action", "Note", "Index", fmt.Sprint(i)), fmt.Sprintf("inbox message %d", i))
	}
	s.Eval("return #Inbox")
	// A token: balances over many transfers.
	s.Eval(fmt.Sprintf("Balances = Balances or { [%q] = 1000000000 }\n", s.Owner) + transferHandler + "return 'token ready'")
	for i := range transfers {
		recipient := ID(fmt.Sprintf("holder/%d", i%37))
		s.Message(tags("Action", "Transfer", "Recipient", recipient, "Quantity", fmt.Sprint(1000+i*13)), "")
	}
	s.Eval("return require('json').encode(Balances)")
	s.Eval("local n = 0; for _ in pairs(Balances) do n = n + 1 end; return n")
	// Other ways in: a pushed message, a cron tick, an assignment, a
	// message from another wallet, a read-only (dry-run) message.
	s.Pushed(ID("other-process"), tags("Action", "Count"), "")
	s.Cron(tags("Action", "Cron"))
	s.Assignment(ID("someone"), tags("Action", "Note", "Data-Protocol", "ao"), "assigned data")
	s.MessageFrom(ID("stranger"), tags("Action", "Count"), "")
	s.DryRun(tags("Action", "Count"), "")
	s.Eval("return Counter .. ' ' .. #Inbox")
	return s
}

// SQLiteSequence is the scripted sequence for sqlite.wasm: SQL statements
// through lsqlite3, with errors and the rollback probe.
func SQLiteSequence(o Options) *Seq {
	s := NewSeq(o)
	s.Eval("1 + 1")
	s.Eval(`sqlite3 = require('lsqlite3')
db = sqlite3.open_memory()
return db:exec([[CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER, note TEXT);]])`)
	for i := range 20 {
		s.Eval(fmt.Sprintf("return db:exec(\"INSERT INTO kv VALUES ('k%02d', %d, 'note ünï %d');\")", i, i*i, i))
	}
	s.Eval(`local rows = {}
for k, v, note in db:urows('SELECT k, v, note FROM kv WHERE v % 2 = 0 ORDER BY v DESC') do
  rows[#rows + 1] = k .. '=' .. v .. ' (' .. note .. ')'
end
return table.concat(rows, '; ')`)
	s.Eval("return db:exec('SELECT * FROM missing_table;') .. ' ' .. db:errmsg()")
	s.Eval("Leaked = 1; db:exec(\"INSERT INTO kv VALUES ('leak', 1, 'x');\"); error('rollback please')")
	s.Eval("local n = 0; for c in db:urows(\"SELECT count(*) FROM kv WHERE k = 'leak'\") do n = c end; return tostring(Leaked) .. ' ' .. n")
	s.Eval(`local t = {}
for row in db:nrows('SELECT k, v FROM kv') do t[row.k] = row.v end
return require('json').encode(t)`)
	s.Eval("return db:exec('CREATE INDEX kv_v ON kv(v); SELECT sum(v) FROM kv;')")
	s.Eval("local s; for v in db:urows('SELECT sum(v) FROM kv') do s = v end; return s")
	s.Eval("return os.time()")
	return s
}

// EvalBench is the benchmark's small-Eval sequence: boot, then n Evals of a
// short expression.
func EvalBench(o Options, n int) *Seq {
	s := NewSeq(o)
	for i := range n {
		s.Eval(fmt.Sprintf("return %d + 1", i))
	}
	return s
}

// TransferBench is the benchmark's token sequence: boot, an Eval that
// installs a token-like Transfer handler, then n transfers among 50
// holders.
func TransferBench(o Options, n int) *Seq {
	s := NewSeq(o)
	s.Eval(fmt.Sprintf("Balances = { [%q] = 1000000000000 }\n", s.Owner) + transferHandler + "return 'ok'")
	for i := range n {
		s.Message(tags("Action", "Transfer", "Recipient", ID(fmt.Sprintf("holder/%d", i%50)), "Quantity", fmt.Sprint(1+i%97)), "")
	}
	return s
}

// OrderProbeSequence is a short sequence whose results depend on Lua table
// order: transfers whose notices carry several tags, a json.encode of a
// wide table, and the key order of pairs(_G).
func OrderProbeSequence(o Options) *Seq {
	s := TransferBench(o, 6)
	s.Eval(`local json = require('json')
local t = {}
for i = 1, 60 do t['key' .. i] = i end
return json.encode(t)`)
	s.Eval(`local keys = {}
for k in pairs(_G) do keys[#keys + 1] = k end
return table.concat(keys, ' ')`)
	s.Eval("return require('json').encode(Balances)")
	return s
}

// transferHandler is Lua installing a token's Transfer handler over the
// global Balances: it moves Quantity from the sender to Recipient and
// sends the debit and credit notices, or a Transfer-Error.
const transferHandler = `Handlers.add('transfer', Handlers.utils.hasMatchingTag('Action', 'Transfer'), function(msg)
  local qty = tonumber(msg.Tags.Quantity)
  local from, to = msg.From, msg.Tags.Recipient
  Balances[from] = Balances[from] or 0
  Balances[to] = Balances[to] or 0
  if qty and Balances[from] >= qty then
    Balances[from] = Balances[from] - qty
    Balances[to] = Balances[to] + qty
    ao.send({ Target = from, Action = 'Debit-Notice', Recipient = to, Quantity = tostring(qty) })
    ao.send({ Target = to, Action = 'Credit-Notice', Sender = from, Quantity = tostring(qty) })
  else
    ao.send({ Target = from, Action = 'Transfer-Error', Error = 'Insufficient Balance!' })
  end
end)
`

// TmpFileEval is an aos Eval that uses a temporary file through MEMFS:
// write, seek, line reads, an append at the end, and reading it all back
// line by line; it returns the positions and lines it saw. The handle
// stays referenced from KEEP so that no collection closes it.
const TmpFileEval = `KEEP = {}
local f = assert(io.tmpfile())
KEEP[#KEEP+1] = f
f:write('hello\n', 'world\n')
local p0 = f:seek('set', 0)
local a = f:read('l')
local p = f:seek('set', 6)
local l = f:read('L')
local e = f:seek('end')
f:write('tail')
f:seek('cur', -4)
local t = f:read('l')
local n = f:read('l')
f:seek('set')
local ls = {}
for x in f:lines() do ls[#ls+1] = x end
return table.concat({p0, a, p, l, e, t, tostring(n), table.concat(ls, ',')}, '|')`
