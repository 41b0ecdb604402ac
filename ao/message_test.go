package ao

import "testing"

func TestMessageKeysNormalisedAndSorted(t *testing.T) {
	m := New()
	m.SetString("Zeta", "z").Set("alpha", Int(7)).SetString("Data-Protocol", "ao")
	id := "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE"
	m.SetString(id, "kept")
	got := m.Keys()
	want := []string{id, "alpha", "data-protocol", "zeta"}
	if len(got) != len(want) {
		t.Fatalf("keys %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("keys %v, want %v", got, want)
		}
	}
	if s, ok := m.GetString("DATA-protocol"); !ok || s != "ao" {
		t.Fatalf("case-insensitive get: %q %v", s, ok)
	}
	if i, ok := m.GetInt("alpha"); !ok || i != 7 {
		t.Fatalf("GetInt %d %v", i, ok)
	}
	if _, ok := m.Get(id[:42] + "e"); ok {
		t.Fatal("ID keys must stay case-sensitive")
	}
}

func TestGetIntFromDecimalText(t *testing.T) {
	m := New().SetString("a", "-42").SetString("b", "007").SetString("c", "9223372036854775808")
	if v, ok := m.GetInt("a"); !ok || v != -42 {
		t.Fatalf("a: %d %v", v, ok)
	}
	if _, ok := m.GetInt("b"); ok {
		t.Fatal("leading zeros accepted")
	}
	if _, ok := m.GetInt("c"); ok {
		t.Fatal("overflow accepted")
	}
}

func TestCloneIsDeep(t *testing.T) {
	inner := New().SetString("x", "1")
	m := New().Set("n", Msg(inner)).Set("l", List(Int(1), Msg(New())))
	c := m.Clone()
	inner.SetString("x", "2")
	got, _ := c.GetMessage("n")
	if s, _ := got.GetString("x"); s != "1" {
		t.Fatalf("clone shares nested message: %q", s)
	}
	if !c.Equal(c.Clone()) || c.Equal(m) {
		t.Fatal("Equal disagrees with content")
	}
}

func TestValueText(t *testing.T) {
	cases := []struct {
		v    Value
		want string
	}{
		{Int(-3), "-3"}, {Float(1), "1.0"}, {Float(0.5), "0.5"}, {Bool(true), "true"},
		{Atom("null"), "null"}, {String("x"), "x"},
	}
	for _, c := range cases {
		if got, ok := c.v.Text(); !ok || got != c.want {
			t.Errorf("%#v: %q", c.v, got)
		}
	}
	if _, ok := List().Text(); ok {
		t.Error("list has text")
	}
	if Atom("true").Kind() != KindBool {
		t.Error("atom true is not a boolean")
	}
}
