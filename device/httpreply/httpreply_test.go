package httpreply

import (
	"math"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestJSONKeepsBytesAndHasNoNewline(t *testing.T) {
	rec := httptest.NewRecorder()
	JSON(rec, http.StatusCreated, map[string]string{"data": "1 < 2 && aos>"})
	if rec.Code != http.StatusCreated || rec.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("status %d, type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	if got := rec.Body.String(); got != `{"data":"1 < 2 && aos>"}` {
		t.Fatalf("body %q", got)
	}
}

func TestJSONUnencodableIs500(t *testing.T) {
	rec := httptest.NewRecorder()
	JSON(rec, http.StatusOK, math.Inf(1))
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status %d, body %s", rec.Code, rec.Body)
	}
}

func TestErrorAndText(t *testing.T) {
	rec := httptest.NewRecorder()
	Error(rec, http.StatusBadRequest, "bad %s", "target")
	if rec.Code != 400 || rec.Body.String() != `{"error":"bad target","status":400}` {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	rec = httptest.NewRecorder()
	Text(rec, "abc")
	if rec.Body.String() != "abc" || rec.Header().Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Fatalf("%q %q", rec.Body, rec.Header().Get("Content-Type"))
	}
}
