// Package hyperpath parses HyperBEAM's HyperPATH request syntax into a list
// of resolution steps, independent of HTTP and of the message model.
//
// A path such as
//
//	/<ID>~process@1.0/compute&slot+integer=5/results/outbox?accept=json
//
// becomes the steps [load <ID> as process@1.0] → compute{slot: 5} →
// results → outbox, each carrying the query's keys. The rules follow
// HyperBEAM's hb_singleton.erl (github.com/permaweb/HyperBEAM):
//
//   - segments split on "/" except inside (...) or "..."; empty segments
//     are dropped; a segment may be at most MaxSegmentLen bytes;
//   - a 43-character segment is a message ID to load;
//   - (sub/path) is a nested resolution whose result is the step;
//   - otherwise key[~device@ver][&k=v][&k][&k+type=v]...: the step's path
//     key, an optional device to apply ("as"), and inline keys ("&k" alone
//     is true); "key=v" is short for "key&key=v" and "key+type=v" for
//     "key&key+type=v";
//   - types: integer, float, atom, bool(ean), list (a structured-field
//     list), map (a structured-field dictionary), binary, resolve (the
//     value is a sub-path to resolve); a space may stand for "+", since
//     browsers and query-string encoders turn "+" into a space;
//   - a value in double quotes is taken literally (quotes removed), so it
//     may contain "/" or "&";
//   - if the first step is not an ID, a device application or a
//     sub-resolution, an empty base message is put in front, so "/key"
//     resolves key on the request itself;
//   - query keys (and any extra keys the caller adds, such as headers)
//     apply to every message step, except that "N.key" applies only to
//     step N (N ≥ 1; step 0 is the base). Inline keys win over them. ID
//     steps and devices applied to IDs take no keys.
//
// Where aonode differs from HyperBEAM: a query key whose part before the
// first "." is not a number is an ordinary (global) key rather than an
// error, and a "N.key" naming a step the path does not have is an error
// rather than silently ignored.
//
// As in HyperBEAM, the path is percent-decoded as a whole before it is
// split (so %22 quotes and %7E device markers work, and a value holding
// "/", "&" or "?" must be quoted); the query string is form-decoded.
package hyperpath
