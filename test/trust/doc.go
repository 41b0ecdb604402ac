// Package trust holds the node-level test of aos's From-Process trust
// rule on aonode: a From-Process tag is passed to the process as the
// message's From whoever signed it (as the legacy MU and CU do), and aos
// (ao.isTrusted) accepts such a message only when its Owner, or its From,
// is one of the process's Authority addresses.
package trust
