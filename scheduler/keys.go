package scheduler

import "encoding/binary"

// The scheduler's store keys. They are private to this package: other
// packages read schedules, messages and the process list through the
// Scheduler's methods (Get, Range, SlotOf, Current, MessageItem,
// Processes). The layout is in the package doc.

func genesisKey() []byte                  { return []byte("sch/genesis") }
func procsPrefix() []byte                 { return []byte("sch/p/") }
func slotPrefix(pid string) []byte        { return []byte("sch/p/" + pid + "/a/") }
func slotKey(pid string, n uint64) []byte { return binary.BigEndian.AppendUint64(slotPrefix(pid), n) }
func msgIndexKey(pid, id string) []byte   { return []byte("sch/p/" + pid + "/m/" + id) }
func messageKey(id string) []byte         { return []byte("msg/" + id) }
