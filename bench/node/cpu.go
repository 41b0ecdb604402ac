package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// cpuSample is where the machine's CPU time went up to a moment: this
// program's (the clients'), and the machine's idle time, in seconds.
type cpuSample struct{ client, idle float64 }

// sampleCPU reads this process's user+system time (getrusage) and the
// machine's idle+iowait time (/proc/stat, USER_HZ = 100 ticks/s).
func sampleCPU() (cpuSample, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return cpuSample{}, err
	}
	client := float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return cpuSample{}, err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 6 || f[0] != "cpu" {
		return cpuSample{}, fmt.Errorf("/proc/stat: unexpected first line %q", line)
	}
	idle, err1 := strconv.ParseUint(f[4], 10, 64)
	iowait, err2 := strconv.ParseUint(f[5], 10, 64)
	if err1 != nil || err2 != nil {
		return cpuSample{}, fmt.Errorf("/proc/stat: bad idle/iowait %q %q", f[4], f[5])
	}
	return cpuSample{client: client, idle: float64(idle+iowait) / 100}, nil
}
