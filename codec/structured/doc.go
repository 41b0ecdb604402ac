// Package structured is the structured@1.0 codec: it converts a rich AO
// message (typed values) to and from a TABM (type-annotated binary
// message), whose values are only binaries and nested TABMs, with the
// types recorded in an `ao-types` RFC 8941 dictionary. It also carries the
// small RFC 8941 parser and serialiser the other codecs share.
package structured
