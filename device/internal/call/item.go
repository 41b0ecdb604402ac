package call

import (
	"context"
	"net/http"

	"aonode/ao/resolve"
	"aonode/codec/ans104"
)

// Item is the request body as a data item the server verified
// (resolve.Body: sent as application/ans104 or with aoconnect's
// codec-device header); required says an absent body is an error. A nil
// item with a nil error means there was no body. Any other body is
// refused: a device schedules only items whose signature was checked.
func Item(ctx context.Context, required bool) (*ans104.DataItem, []byte, error) {
	b, ok := resolve.RequestBody(ctx)
	if !ok {
		if required {
			return nil, nil, resolve.Errorf(http.StatusBadRequest, "request body: empty; want a signed ANS-104 data item (Content-Type: application/ans104)")
		}
		return nil, nil, nil
	}
	if !b.Verified {
		return nil, nil, resolve.Errorf(http.StatusBadRequest, "request body: want a signed ANS-104 data item (Content-Type: application/ans104), got %q", b.ContentType)
	}
	it, err := ans104.DecodeMax(b.Data, len(b.Data))
	if err != nil {
		return nil, nil, resolve.Errorf(http.StatusBadRequest, "request body: not an ANS-104 data item: %v", err)
	}
	return it, b.Data, nil
}
