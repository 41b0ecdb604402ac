package process

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"aonode/ao"
	"aonode/ao/resolve"
	"aonode/codec/jsonmsg"
	"aonode/device/internal/call"
	"aonode/legacy/msgenv"
)

// dryRun evaluates a message built from the tags in v ("&K=V&K2=V2", in
// order, percent-escapes decoded) and the request item's Data, Id and
// Owner, keeping nothing. Without an item, Owner is 43 "1"s and Id and
// Data "1234", as the legacy CU's defaults.
func (d *Device) dryRun(ctx context.Context, c *resolve.Call, pid string, v ao.Value) (ao.Value, error) {
	c.NoCache()
	params, ok := v.Text()
	if b, isBool := v.AsBool(); isBool && b {
		params, ok = "", true
	}
	if !ok {
		return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "%s compute: dryrun: want the tags as \"&K=V&…\", got a %s", d.name, v.Kind())
	}
	tags, err := parseParams(params)
	if err != nil {
		return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "dry-run tags: %v", err)
	}
	it, _, err := call.Item(ctx, false)
	if err != nil {
		return ao.Value{}, err
	}
	dr := msgenv.DryRun{Tags: tags}
	if it != nil {
		owner, err := it.OwnerAddress()
		if err != nil {
			return ao.Value{}, resolve.Errorf(http.StatusBadRequest, "dry-run item owner: %v", err)
		}
		dr.Owner, dr.ID, dr.Data = owner, msgenv.Str(it.ID()), msgenv.Str(string(it.Data))
	} else {
		dr.Owner = strings.Repeat("1", 43)
		dr.ID, dr.Data = msgenv.Str("1234"), msgenv.Str("1234")
	}
	res, err := d.d.Compute.DryRun(ctx, pid, dr)
	if err != nil {
		return ao.Value{}, call.ComputeError(pid, err)
	}
	c.SetReply(jsonReply(http.StatusOK, nil, map[string]any{"process": pid, "slot": res.Slot, "raw": res.Raw()}))
	rv := jsonmsg.ValueOf(res.Raw())
	m := ao.New().SetString("process", pid).Set("slot", ao.Int(int64(res.Slot))).Set("raw", rv).Set("results", ao.Msg(results(rv)))
	return ao.Msg(m), nil
}

// unescape decodes percent-escapes (the HTTP client adds them for spaces
// and the like); a "%" that starts no valid escape is kept as sent, since
// aoconnect itself writes values unencoded.
func unescape(s string) string {
	if d, err := url.PathUnescape(s); err == nil {
		return d
	}
	return s
}

// parseParams reads "&K=V&K2=V2" (percent-escapes decoded) into tags in
// order.
func parseParams(s string) ([]msgenv.Tag, error) {
	var tags []msgenv.Tag
	for _, part := range strings.Split(s, "&") {
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("%q: want NAME=VALUE", part)
		}
		tags = append(tags, msgenv.Tag{Name: unescape(k), Value: unescape(v)})
	}
	return tags, nil
}
