package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"aonode/codec/ans104"
	"aonode/wallet"
)

// newItemCmd groups the ANS-104 data item commands: verify, sign, show.
func newItemCmd() *cobra.Command {
	return newGroupCmd("item", "Sign, verify and inspect ANS-104 data items", newItemVerifyCmd(), newItemSignCmd(), newItemShowCmd())
}

// readItemFile reads at most ans104.DefaultMaxItemSize bytes of an item.
func readItemFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, ans104.DefaultMaxItemSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > ans104.DefaultMaxItemSize {
		return nil, fmt.Errorf("%s is larger than the %d-byte item limit", path, ans104.DefaultMaxItemSize)
	}
	return b, nil
}

// decodeItemFile reads and decodes the item in the file at path.
func decodeItemFile(path string) (*ans104.DataItem, error) {
	b, err := readItemFile(path)
	if err != nil {
		return nil, err
	}
	return ans104.Decode(b)
}

func newItemVerifyCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "verify FILE",
		Short: "Verify a raw data item; print ID<TAB>OWNER-ADDRESS (exit 1 if invalid)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := decodeItemFile(args[0])
			if err != nil {
				return exitWith(1, err)
			}
			if err := d.Verify(); err != nil {
				return exitWith(1, err)
			}
			addr, err := d.OwnerAddress()
			if err != nil {
				return exitWith(1, err)
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "%s\t%s\n", d.ID(), addr)
			return err
		},
	}
}

// parse32 reads a target or anchor flag value: a 32-character string is
// taken as its 32 bytes; otherwise it must be base64url (43 characters,
// no padding) of 32 bytes.
func parse32(flag, s string, allowRaw bool) ([]byte, error) {
	if s == "" {
		return nil, nil
	}
	if allowRaw && len(s) == 32 {
		return []byte(s), nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != 32 {
		if allowRaw {
			return nil, fmt.Errorf("--%s must be 32 bytes as text or base64url of 32 bytes", flag)
		}
		return nil, fmt.Errorf("--%s must be base64url of 32 bytes (an ID or address)", flag)
	}
	return b, nil
}

func newItemSignCmd() *cobra.Command {
	var walletPath, target, anchor, dataPath, out string
	var tags []string
	cmd := &cobra.Command{
		Use:   "sign --wallet W [--target T] [--anchor A] [--tag K=V]... [--data-file FILE] --out FILE",
		Short: "Build and sign a data item; write its bytes to --out and print its ID",
		Long: "Build and sign a data item with the wallet's key (ANS-104 signature type 1, 2 or 3).\n" +
			"--target is a base64url ID of 32 bytes. --anchor is either a 32-character string, used\n" +
			"as its bytes, or base64url of 32 bytes. Each --tag K=V adds a tag in order; the value\n" +
			"is everything after the first '='. --data-file names the file holding the item's data\n" +
			"(default: empty data).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if walletPath == "" || out == "" {
				return fmt.Errorf("item sign: --wallet and --out are required")
			}
			k, err := wallet.Load(walletPath)
			if err != nil {
				return err
			}
			d := &ans104.DataItem{}
			if d.Target, err = parse32("target", target, false); err != nil {
				return err
			}
			if d.Anchor, err = parse32("anchor", anchor, true); err != nil {
				return err
			}
			for _, kv := range tags {
				name, value, ok := strings.Cut(kv, "=")
				if !ok {
					return fmt.Errorf("--tag %q is not NAME=VALUE", kv)
				}
				d.Tags = append(d.Tags, ans104.Tag{Name: name, Value: value})
			}
			if dataPath != "" {
				if d.Data, err = readItemFile(dataPath); err != nil {
					return err
				}
			}
			if err := d.Sign(k); err != nil {
				return err
			}
			b, err := d.Encode()
			if err != nil {
				return err
			}
			if err := os.WriteFile(out, b, 0o644); err != nil {
				return err
			}
			_, err = fmt.Fprintln(cmd.OutOrStdout(), d.ID())
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&walletPath, "wallet", "", "JWK wallet file")
	f.StringVar(&target, "target", "", "target ID (base64url, 32 bytes)")
	f.StringVar(&anchor, "anchor", "", "anchor: 32-character string or base64url of 32 bytes")
	f.StringArrayVar(&tags, "tag", nil, "tag NAME=VALUE (repeatable, kept in order)")
	f.StringVar(&dataPath, "data-file", "", "file holding the item's data (default: empty)")
	f.StringVar(&out, "out", "", "file to write the signed item to")
	return cmd
}

// itemJSON is `aonode item show`'s output. Binary fields are base64url;
// data is UTF-8 text when it is valid UTF-8, else base64url, as
// data_encoding says. Tag names and values are shown as JSON strings
// (invalid UTF-8 is replaced by U+FFFD).
type itemJSON struct {
	ID            string       `json:"id"`
	SignatureType int          `json:"signature_type"`
	Owner         string       `json:"owner"`
	OwnerAddress  string       `json:"owner_address"`
	Target        string       `json:"target"`
	Anchor        string       `json:"anchor"`
	Tags          []ans104.Tag `json:"tags"`
	DataEncoding  string       `json:"data_encoding"`
	Data          string       `json:"data"`
	Valid         bool         `json:"valid"`
	Error         string       `json:"error,omitempty"`
}

func newItemShowCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "show FILE",
		Short: "Print a data item as JSON (fields, tags in order, data, signature validity)",
		Long: "Print a data item as JSON: id, signature_type, owner, target and anchor (base64url,\n" +
			"\"\" when absent), owner_address, tags in order, data (UTF-8 text when valid UTF-8,\n" +
			"otherwise base64url; see data_encoding) and whether the signature verifies.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := decodeItemFile(args[0])
			if err != nil {
				return exitWith(1, err)
			}
			enc := base64.RawURLEncoding.EncodeToString
			j := itemJSON{ID: d.ID(), SignatureType: d.SignatureType, Owner: enc(d.Owner),
				Target: enc(d.Target), Anchor: enc(d.Anchor), Tags: d.Tags, Valid: true}
			if j.Tags == nil {
				j.Tags = []ans104.Tag{}
			}
			j.OwnerAddress, _ = d.OwnerAddress()
			if utf8.Valid(d.Data) {
				j.DataEncoding, j.Data = "utf-8", string(d.Data)
			} else {
				j.DataEncoding, j.Data = "base64url", enc(d.Data)
			}
			if err := d.Verify(); err != nil {
				j.Valid, j.Error = false, err.Error()
			}
			e := json.NewEncoder(cmd.OutOrStdout())
			e.SetIndent("", "  ")
			return e.Encode(j)
		},
	}
}
