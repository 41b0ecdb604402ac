package httpsig

import (
	"aonode/ao"
)

// IDOptions choose the ID rules.
type IDOptions struct {
	// Combine is how several commitments' IDs combine (default: hbsig's
	// sorted-hash rule).
	Combine ao.CombineRule
	// HMACKeyID is the keyid (and key) of the unsigned commitment: "ao"
	// (hbsig, HyperBEAM mid-2025; the default) or "constant:ao"
	// (HyperBEAM's newest).
	HMACKeyID string
}

// ID is a message's ID. With commitments it combines their IDs (one
// commitment: its own ID, i.e. SHA-256 of an RSA signature). Without, it
// is the unsigned ID: the HMAC-SHA256 commitment with key "ao" over the
// message's httpsig form, ao-types included (see UnsignedID).
func ID(m *ao.Message, opts IDOptions) (string, error) {
	if ids := m.CommitmentIDs(); len(ids) > 0 {
		return ao.CombineIDs(ids, opts.Combine)
	}
	return UnsignedID(m, opts)
}

// UnsignedID is the HMAC commitment ID of m ignoring its commitments.
// The form hashed is HyperBEAM's: `ao-body-key` names a lone non-"body"
// body value.
func UnsignedID(m *ao.Message, opts IDOptions) (string, error) {
	w, err := encodeBare(m.WithoutCommitments(), Options{Style: StyleHyperBEAM})
	if err != nil {
		return "", err
	}
	key := opts.HMACKeyID
	if key == "" {
		key = HMACKey
	}
	c, err := hmacCommitment(w, key)
	if err != nil {
		return "", err
	}
	return c.ID, nil
}

// CommitUnsigned adds the unsigned HMAC commitment to m (HyperBEAM adds
// one next to every signature) and returns it.
func CommitUnsigned(m *ao.Message, opts IDOptions) (ao.Commitment, error) {
	w, err := encodeBare(m.WithoutCommitments(), Options{Style: StyleHyperBEAM})
	if err != nil {
		return ao.Commitment{}, err
	}
	key := opts.HMACKeyID
	if key == "" {
		key = HMACKey
	}
	c, err := hmacCommitment(w, key)
	if err != nil {
		return ao.Commitment{}, err
	}
	_, multipart, _ := MultipartBoundary(w.Headers["content-type"])
	c.Committed = committedKeys(c.Components, expansions(w, bodyKeysOf(m, w)), multipart)
	m.AddCommitment(c)
	return c, nil
}
