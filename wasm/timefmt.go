package wasm

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/bytecodealliance/wasmtime-go/v44"
)

// The glue's time functions run in the Node process's time zone; this host
// always uses UTC (zone name "UTC", no daylight saving), which is what the
// reference gives on a machine set to UTC.

// cTm is C's struct tm as the glue reads and writes it.
type cTm struct {
	sec, min, hour, mday, mon, year, wday, yday, isdst int32
	gmtoff                                             int64
	zone                                               uint64
}

// tmLayout returns the offsets of tm_gmtoff and tm_zone (long and pointer
// are 8 bytes on wasm64, 4 on wasm32).
func (h *host) tmLayout() (gmtoff, zone uint64) {
	if h.is64 {
		return 40, 48
	}
	return 36, 40
}

func (h *host) readTm(s wasmtime.Storelike, p uint64) (cTm, error) {
	var t cTm
	f := []*int32{&t.sec, &t.min, &t.hour, &t.mday, &t.mon, &t.year, &t.wday, &t.yday, &t.isdst}
	for i, dst := range f {
		v, err := h.get32(s, p+uint64(4*i))
		if err != nil {
			return t, err
		}
		*dst = int32(v)
	}
	og, oz := h.tmLayout()
	if h.is64 {
		g, err := h.get64(s, p+og)
		if err != nil {
			return t, err
		}
		t.gmtoff = int64(g)
	} else {
		g, err := h.get32(s, p+og)
		if err != nil {
			return t, err
		}
		t.gmtoff = int64(int32(g))
	}
	z, err := h.getPtr(s, p+oz)
	t.zone = z
	return t, err
}

// writeDate writes the broken-down UTC time of d (fields 0..7, as gmtime).
func (h *host) writeDate(s wasmtime.Storelike, p uint64, d time.Time) error {
	vals := []int{d.Second(), d.Minute(), d.Hour(), d.Day(), int(d.Month()) - 1, d.Year() - 1900, int(d.Weekday()), d.YearDay() - 1}
	for i, v := range vals {
		if err := h.put32(s, p+uint64(4*i), uint32(int32(v))); err != nil {
			return err
		}
	}
	return nil
}

// timeArg reads a time_t argument: one i64 on wasm64, a (lo, hi) pair on
// wasm32. It returns the value and the index of the next argument.
func timeArg(a []wasmtime.Val) (int64, int) {
	if len(a) >= 3 {
		return int64(uint32(a[0].I32())) + int64(a[1].I32())*(1<<32), 2
	}
	return sgn(a[0]), 1
}

// jsDate converts seconds to a time like JS new Date(t*1000) (UTC).
func jsDate(t int64) time.Time { return time.Unix(t, 0).UTC() }

func importGmtime(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 2 {
		return 0, errArgs
	}
	t, i := timeArg(a)
	return 0, h.writeDate(c, u(a[i]), jsDate(t))
}

func importLocaltime(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 2 {
		return 0, errArgs
	}
	t, i := timeArg(a)
	p := u(a[i])
	if err := h.writeDate(c, p, jsDate(t)); err != nil {
		return 0, err
	}
	og, _ := h.tmLayout()
	var err error
	if h.is64 {
		err = h.put64(c, p+og, 0)
	} else {
		err = h.put32(c, p+og, 0)
	}
	if err != nil {
		return 0, err
	}
	return 0, h.put32(c, p+32, 0) // tm_isdst
}

func importMktime(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 1 {
		return 0, errArgs
	}
	p := u(a[0])
	t, err := h.readTm(c, p)
	if err != nil {
		return 0, err
	}
	year := int(t.year) + 1900
	if year >= 0 && year <= 99 { // JS Date maps two-digit years to 19xx
		year += 1900
	}
	d := time.Date(year, time.Month(int(t.mon)+1), int(t.mday), int(t.hour), int(t.min), int(t.sec), 0, time.UTC)
	if t.isdst < 0 {
		if err := h.put32(c, p+32, 0); err != nil {
			return 0, err
		}
	}
	if err := h.writeDate(c, p, d); err != nil {
		return 0, err
	}
	return d.Unix(), nil
}

func importTzset(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 4 {
		return 0, errArgs
	}
	if err := h.putPtr(c, u(a[0]), 0); err != nil { // timezone (long)
		return 0, err
	}
	if err := h.put32(c, u(a[1]), 0); err != nil { // daylight
		return 0, err
	}
	if err := h.writeCString(c, u(a[2]), "UTC", 17); err != nil {
		return 0, err
	}
	return 0, h.writeCString(c, u(a[3]), "UTC", 17)
}

// importStrftime ports the glue's strftime: the same expansion rules,
// applied in the same order with global string replacement.
func importStrftime(h *host, c *wasmtime.Caller, a []wasmtime.Val) (int64, error) {
	if len(a) < 4 {
		return 0, errArgs
	}
	s, maxsize, fmtp, tmp := u(a[0]), u(a[1]), u(a[2]), u(a[3])
	t, err := h.readTm(c, tmp)
	if err != nil {
		return 0, err
	}
	zone := ""
	if t.zone != 0 {
		if zone, err = h.cString(c, t.zone, 1<<16); err != nil {
			return 0, err
		}
	}
	pattern, err := h.cString(c, fmtp, 1<<20)
	if err != nil {
		return 0, err
	}
	out := strftime(pattern, t, zone)
	b := append([]byte(out), 0)
	if uint64(len(b)) > maxsize {
		return 0, nil
	}
	dst, err := h.slice(c, s, uint64(len(b)))
	if err != nil {
		return 0, err
	}
	copy(dst, b)
	return int64(len(b) - 1), nil
}

func pad(v int64, n int, c byte) string {
	s := strconv.FormatInt(v, 10)
	for len(s) < n {
		s = string(c) + s
	}
	return s
}

func isLeap(y int64) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// strftime expands pattern like the glue's JS implementation.
func strftime(pattern string, t cTm, zone string) string {
	weekdays := [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	months := [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	rules1 := [][2]string{{"%c", "%a %b %d %H:%M:%S %Y"}, {"%D", "%m/%d/%y"}, {"%F", "%Y-%m-%d"}, {"%h", "%b"},
		{"%r", "%I:%M:%S %p"}, {"%R", "%H:%M"}, {"%T", "%H:%M:%S"}, {"%x", "%m/%d/%y"}, {"%X", "%H:%M:%S"},
		{"%Ec", "%c"}, {"%EC", "%C"}, {"%Ex", "%m/%d/%y"}, {"%EX", "%H:%M:%S"}, {"%Ey", "%y"}, {"%EY", "%Y"},
		{"%Od", "%d"}, {"%Oe", "%e"}, {"%OH", "%H"}, {"%OI", "%I"}, {"%Om", "%m"}, {"%OM", "%M"}, {"%OS", "%S"},
		{"%Ou", "%u"}, {"%OU", "%U"}, {"%OV", "%V"}, {"%Ow", "%w"}, {"%OW", "%W"}, {"%Oy", "%y"}}
	for _, r := range rules1 {
		pattern = strings.ReplaceAll(pattern, r[0], r[1])
	}
	year := int64(t.year) + 1900
	wday := int64(t.wday)
	yday := int64(t.yday)
	name := func(list []string, i int32, n int) string {
		if i < 0 || int(i) >= len(list) {
			return "undefined"[:min(n, 9)]
		}
		if n > 0 && len(list[i]) > n {
			return list[i][:n]
		}
		return list[i]
	}
	weekYear := func() int64 {
		this := time.Date(int(year), 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(yday))
		first := func(y int) time.Time {
			j4 := time.Date(y, 1, 4, 0, 0, 0, 0, time.UTC)
			return j4.AddDate(0, 0, -((int(j4.Weekday()) + 6) % 7))
		}
		if !first(this.Year()).After(this) {
			if !first(this.Year() + 1).After(this) {
				return int64(this.Year() + 1)
			}
			return int64(this.Year())
		}
		return int64(this.Year() - 1)
	}
	rules2 := []struct {
		k string
		f func() string
	}{
		{"%a", func() string { return name(weekdays[:], t.wday, 3) }},
		{"%A", func() string { return name(weekdays[:], t.wday, 0) }},
		{"%b", func() string { return name(months[:], t.mon, 3) }},
		{"%B", func() string { return name(months[:], t.mon, 0) }},
		{"%C", func() string { return pad(int64(int32(year/100)), 2, '0') }},
		{"%d", func() string { return pad(int64(t.mday), 2, '0') }},
		{"%e", func() string { return pad(int64(t.mday), 2, ' ') }},
		{"%g", func() string {
			s := strconv.FormatInt(weekYear(), 10)
			if len(s) < 2 {
				return ""
			}
			return s[2:]
		}},
		{"%G", func() string { return strconv.FormatInt(weekYear(), 10) }},
		{"%H", func() string { return pad(int64(t.hour), 2, '0') }},
		{"%I", func() string {
			h := int64(t.hour)
			if h == 0 {
				h = 12
			} else if h > 12 {
				h -= 12
			}
			return pad(h, 2, '0')
		}},
		{"%j", func() string {
			days := []int64{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
			if isLeap(year) {
				days[1] = 29
			}
			sum := int64(0)
			for i := 0; i <= int(t.mon)-1 && i < 12; i++ {
				sum += days[i]
			}
			return pad(int64(t.mday)+sum, 3, '0')
		}},
		{"%m", func() string { return pad(int64(t.mon)+1, 2, '0') }},
		{"%M", func() string { return pad(int64(t.min), 2, '0') }},
		{"%n", func() string { return "\n" }},
		{"%p", func() string {
			if t.hour >= 0 && t.hour < 12 {
				return "AM"
			}
			return "PM"
		}},
		{"%S", func() string { return pad(int64(t.sec), 2, '0') }},
		{"%t", func() string { return "\t" }},
		{"%u", func() string {
			if wday == 0 {
				return "7"
			}
			return strconv.FormatInt(wday, 10)
		}},
		{"%U", func() string { return pad(floorDiv(yday+7-wday, 7), 2, '0') }},
		{"%V", func() string {
			val := floorDiv(yday+7-(wday+6)%7, 7)
			if (wday+371-yday-2)%7 <= 2 {
				val++
			}
			if val == 0 {
				val = 52
				dec31 := (wday + 7 - yday - 1) % 7
				if dec31 == 4 || dec31 == 5 && isLeap(int64(t.year)%400-1) {
					val++
				}
			} else if val == 53 {
				jan1 := (wday + 371 - yday) % 7
				if jan1 != 4 && (jan1 != 3 || !isLeap(int64(t.year))) {
					val = 1
				}
			}
			return pad(val, 2, '0')
		}},
		{"%w", func() string { return strconv.FormatInt(wday, 10) }},
		{"%W", func() string { return pad(floorDiv(yday+7-(wday+6)%7, 7), 2, '0') }},
		{"%y", func() string {
			s := strconv.FormatInt(year, 10)
			if len(s) < 2 {
				return ""
			}
			return s[2:]
		}},
		{"%Y", func() string { return strconv.FormatInt(year, 10) }},
		{"%z", func() string {
			off := float64(t.gmtoff)
			ahead := off >= 0
			off = math.Abs(off) / 60
			off = off/60*100 + math.Mod(off, 60)
			s := "0000" + strconv.FormatFloat(off, 'f', -1, 64)
			sign := "-"
			if ahead {
				sign = "+"
			}
			return sign + s[len(s)-4:]
		}},
		{"%Z", func() string { return zone }},
		{"%%", func() string { return "%" }},
	}
	pattern = strings.ReplaceAll(pattern, "%%", "\x00\x00")
	for _, r := range rules2 {
		if strings.Contains(pattern, r.k) {
			pattern = strings.ReplaceAll(pattern, r.k, r.f())
		}
	}
	return strings.ReplaceAll(pattern, "\x00\x00", "%")
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
