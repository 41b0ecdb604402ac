// Package ans104msg is the ans104@1.0 codec: an AO-Core message to and
// from an ANS-104 data item. Tags become keys (lower-cased, typed through
// an ao-types tag when present), the data becomes `data` (or the key an
// `ao-data-key` tag names), target and anchor become `target` and
// `anchor` (base64url). A signed item's signature becomes an ans104@1.0
// commitment whose ID is the item ID (SHA-256 of the signature); the
// original tags (order and case) are kept in the commitment so the item
// can be rebuilt byte for byte and re-verified. Nested messages (bundles)
// are not supported.
package ans104msg

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"

	"aonode/ao"
	"aonode/codec/ans104"
	"aonode/codec/structured"
	"aonode/wallet"
)

// Commitment types by ANS-104 signature type.
const (
	TypeArweave  = ao.TypeRSAPSSSHA256 // type 1: RSA-PSS over SHA-256 of the deep hash
	TypeEd25519  = ao.TypeEd25519      // types 2 and 4
	TypeEthereum = "ecdsa-secp256k1-eip191"
)

// Keys in the commitment's Params.
const (
	ParamOriginalTags  = "original-tags"  // JSON [{name, value}] as signed
	ParamSignatureType = "signature-type" // decimal ANS-104 signature type
)

// DataKeyTag renames the data field.
const DataKeyTag = "ao-data-key"

// reserved reports whether k is fed by an item field rather than a tag.
func reserved(k string) bool { return k == "target" || k == "anchor" }

// FromItem converts a data item into a message. It does not verify the
// signature: call d.Verify first when the item came from outside.
func FromItem(d *ans104.DataItem) (*ao.Message, error) {
	tabm := ao.New()
	dataKey := "data"
	for i, t := range d.Tags {
		k := ao.NormalizeKey(t.Name)
		if k == "" {
			return nil, fmt.Errorf("ans104msg: tag %d has an empty name", i+1)
		}
		if k == DataKeyTag {
			dataKey = ao.NormalizeKey(t.Value)
			continue
		}
		if reserved(k) {
			return nil, fmt.Errorf("ans104msg: tag %q clashes with the item's %s field", t.Name, k)
		}
		if tabm.Has(k) {
			return nil, fmt.Errorf("ans104msg: tag %q repeated (names are case-insensitive)", t.Name)
		}
		tabm.SetString(k, t.Value)
	}
	if len(d.Data) > 0 {
		if tabm.Has(dataKey) {
			return nil, fmt.Errorf("ans104msg: tag %q clashes with the item's data", dataKey)
		}
		tabm.Set(dataKey, ao.Bytes(d.Data))
	}
	if len(d.Target) > 0 {
		tabm.SetString("target", base64.RawURLEncoding.EncodeToString(d.Target))
	}
	if len(d.Anchor) > 0 {
		tabm.SetString("anchor", base64.RawURLEncoding.EncodeToString(d.Anchor))
	}
	m, err := structured.Decode(tabm)
	if err != nil {
		return nil, err
	}
	if len(d.Signature) > 0 {
		c, err := commitmentOf(d, m)
		if err != nil {
			return nil, err
		}
		m.AddCommitment(c)
	}
	return m, nil
}

func commitmentOf(d *ans104.DataItem, m *ao.Message) (ao.Commitment, error) {
	typ := ""
	switch d.SignatureType {
	case ans104.SigArweave:
		typ = TypeArweave
	case ans104.SigEd25519, ans104.SigSolana:
		typ = TypeEd25519
	case ans104.SigEthereum:
		typ = TypeEthereum
	default:
		return ao.Commitment{}, fmt.Errorf("ans104msg: signature type %d is not supported", d.SignatureType)
	}
	committer, err := d.OwnerAddress()
	if err != nil {
		return ao.Commitment{}, err
	}
	tags, _ := json.Marshal(d.Tags)
	if d.Tags == nil {
		tags = []byte("[]")
	}
	return ao.Commitment{
		ID:        d.ID(),
		Device:    ao.DeviceANS104,
		Type:      typ,
		Committer: committer,
		KeyID:     "publickey:" + base64.RawURLEncoding.EncodeToString(d.Owner),
		PublicKey: append([]byte(nil), d.Owner...),
		Committed: m.Keys(),
		Signature: append([]byte(nil), d.Signature...),
		Params: map[string]string{
			ParamOriginalTags:  string(tags),
			ParamSignatureType: strconv.Itoa(d.SignatureType),
		},
	}, nil
}

// ToItem builds a data item from m. When m carries an ans104@1.0
// commitment, the item is rebuilt exactly as signed (original tags,
// owner, signature) so that it verifies; otherwise it is an unsigned item
// whose tags are m's keys in sorted order (types in an ao-types tag).
func ToItem(m *ao.Message) (*ans104.DataItem, error) {
	tabm, err := structured.Encode(m.WithoutCommitments())
	if err != nil {
		return nil, err
	}
	d := &ans104.DataItem{}
	for _, k := range tabm.Keys() {
		v, _ := tabm.Get(k)
		b, ok := v.AsBytes()
		if !ok {
			return nil, fmt.Errorf("ans104msg: key %q is a nested message; bundles are not supported", k)
		}
		switch k {
		case "data":
			d.Data = b
		case "target", "anchor":
			raw, err := base64.RawURLEncoding.DecodeString(string(b))
			if err != nil || len(raw) != 32 {
				return nil, fmt.Errorf("ans104msg: %s is not a 43-character base64url ID", k)
			}
			if k == "target" {
				d.Target = raw
			} else {
				d.Anchor = raw
			}
		default:
			d.Tags = append(d.Tags, ans104.Tag{Name: k, Value: string(b)})
		}
	}
	for _, c := range m.Commitments() {
		if c.Device != ao.DeviceANS104 {
			continue
		}
		var tags []ans104.Tag
		if err := json.Unmarshal([]byte(c.Params[ParamOriginalTags]), &tags); err != nil {
			return nil, fmt.Errorf("ans104msg: commitment %s: original-tags: %v", c.ID, err)
		}
		st, err := strconv.Atoi(c.Params[ParamSignatureType])
		if err != nil {
			return nil, fmt.Errorf("ans104msg: commitment %s: signature-type: %v", c.ID, err)
		}
		d.Tags = tags
		for _, t := range tags {
			if ao.NormalizeKey(t.Name) == DataKeyTag {
				d.Data = nil
				if v, ok := tabm.Get(t.Value); ok {
					d.Data, _ = v.AsBytes()
				}
			}
		}
		d.SignatureType = st
		d.Owner = c.PublicKey
		d.Signature = c.Signature
		return d, nil
	}
	sort.SliceStable(d.Tags, func(i, j int) bool { return d.Tags[i].Name < d.Tags[j].Name })
	return d, nil
}

// Sign signs m as a data item with key and adds the ans104@1.0 commitment
// to m (replacing nothing else). It returns the signed item.
func Sign(m *ao.Message, key *wallet.Key) (*ans104.DataItem, error) {
	d, err := ToItem(m.WithoutCommitments())
	if err != nil {
		return nil, err
	}
	if err := d.Sign(key); err != nil {
		return nil, err
	}
	c, err := commitmentOf(d, m)
	if err != nil {
		return nil, err
	}
	m.AddCommitment(c)
	return d, nil
}

// Verify rebuilds the item from m's ans104@1.0 commitment and checks its
// signature and that the message still holds what the item says.
func Verify(m *ao.Message) error {
	d, err := ToItem(m)
	if err != nil {
		return err
	}
	if len(d.Signature) == 0 {
		return fmt.Errorf("ans104msg: message has no ans104@1.0 commitment")
	}
	// The tags come from the commitment; data, target and anchor from m.
	if err := d.Verify(); err != nil {
		return err
	}
	back, err := FromItem(d)
	if err != nil {
		return err
	}
	if !back.Equal(m) {
		return fmt.Errorf("ans104msg: message keys differ from the signed item: %w", ans104.ErrInvalidSignature)
	}
	return nil
}
