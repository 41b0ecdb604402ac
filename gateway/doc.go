// Package gateway is aonode's Arweave gateway client (aonode serve
// --gateway URL): the scheduler's block-height clock (Clock) and the
// GraphQL lookups that locate the nodes of processes scheduled elsewhere
// (GraphQL, graphql.go).
//
// The clock keeps time as the legacy SU does: assignment timestamps come
// from the local clock in milliseconds, block heights from the gateway's
// GET /info (falling back to GET /block/current), cached and refreshed in
// the background, never on the request path.
//
// The height never decreases: a gateway answering a lower height than the
// one known (a lagging or different gateway) is ignored. The last known
// height and a timestamp floor are persisted in the store, so a node
// restarted while the gateway is unreachable schedules with the height it
// knew, and its timestamps do not go backwards even if the wall clock did.
// They live under this package's own "gateway/" prefix; Open moves them
// from "sch/gateway", where earlier releases kept them.
// A gateway that is down or answers garbage is logged once per change of
// state (down, then reachable again), not once per refresh.
//
// The configured gateway is trusted for the height it reports: heights are
// only checked to be whole numbers of at most 12 digits (the legacy SU's
// zero-padded Block-Height format).
package gateway
