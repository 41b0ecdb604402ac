package compute

import "encoding/binary"

// Store key layout (all under "cmp/"):
//
//	cmp/r/<pid>/<slot:8 BE>  the slot's result (JSON, SlotResult)
//	cmp/h/<pid>              the number of evaluated slots (8 BE)
//	cmp/s/<pid>/<slot:8 BE>  hex blob hash of the memory snapshot after slot
//	cmp/x/<pid>              stall reason (text), set by a deadline hit
//	cmp/c/<pid>/<key>        patch@1.0 cache value (JSON)
//	cmp/o/<pid>/<slot:8 BE>  the slot's outbox awaits the pusher
//	cmp/t/<id>               the item is a cron tick (cron.go)
func resultPrefix(pid string) []byte { return []byte("cmp/r/" + pid + "/") }
func resultKey(pid string, slot uint64) []byte {
	return binary.BigEndian.AppendUint64(resultPrefix(pid), slot)
}
func headKey(pid string) []byte    { return []byte("cmp/h/" + pid) }
func snapPrefix(pid string) []byte { return []byte("cmp/s/" + pid + "/") }
func stallKey(pid string) []byte   { return []byte("cmp/x/" + pid) }
func snapKey(pid string, slot uint64) []byte {
	return binary.BigEndian.AppendUint64(snapPrefix(pid), slot)
}
func cacheKey(pid, key string) []byte { return []byte("cmp/c/" + pid + "/" + key) }
func outboxKey(pid string, slot uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte("cmp/o/"+pid+"/"), slot)
}
