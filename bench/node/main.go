// Command node benchmarks an aonode node end to end: it runs `aonode
// serve` as a child on loopback, drives it with pre-signed ANS-104 items
// exactly as aoconnect's mainnet mode sends them, measures the scheduler
// package directly, runs the same flow through WAO's in-memory AO as the
// reference, and prints one table. bench/node/run.sh runs it.
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"time"

	"aonode/modules"
	"aonode/wallet"
)

// config is the command line.
type config struct {
	bin                           string
	latN, procs, perProc, workers int
	warm, spawnN, coldN           int
	procsWarm, budgetGiB          int
	schedDur                      time.Duration
	wao                           bool
	waoScript                     string
	waoLatN, waoProcs, waoPerProc int
	// userKey is the client's key type: aoconnect users sign with
	// Arweave RSA-4096 wallets, whose verification (~0.4 ms) the node
	// pays per message.
	userKey wallet.KeyType
	// warmBudget, if set, is the node's serve --warm-budget.
	warmBudget string
}

func main() {
	var c config
	flag.StringVar(&c.bin, "aonode", "", "the aonode binary (required)")
	flag.IntVar(&c.latN, "lat-n", 300, "sequential messages for the latency figures")
	flag.IntVar(&c.procs, "procs", 100, "processes messaged concurrently for throughput")
	flag.IntVar(&c.perProc, "per-proc", 30, "messages per process for throughput")
	flag.IntVar(&c.workers, "workers", 16, "concurrent HTTP clients")
	flag.StringVar(&c.warmBudget, "warm-budget", "", "the node's serve --warm-budget (e.g. 1-gb; empty: serve's default, 8 GiB)")
	userKey := flag.String("user-key", "arweave", "the client's key type: arweave (RSA-4096, as aoconnect users sign) or ed25519")
	flag.IntVar(&c.procsWarm, "procs-warm", 30, "processes messaged concurrently while all stay warm (0 skips)")
	flag.IntVar(&c.budgetGiB, "budget-gib", 0, "also measure the 100-process throughput on an in-process node with this warm budget in GiB (0 skips; serve's --warm-budget is 8 GiB)")
	flag.IntVar(&c.warm, "warm", 20, "processes spawned and messaged for the RSS-per-process figure")
	flag.IntVar(&c.spawnN, "spawn-n", 1000, "processes spawned for the spawn figure (0 skips)")
	flag.IntVar(&c.coldN, "cold-n", 10, "cold (evicted) processes messaged for the resume figure")
	flag.DurationVar(&c.schedDur, "sched-dur", 3*time.Second, "duration of each durable-assignment run")
	flag.BoolVar(&c.wao, "wao", true, "run the WAO reference")
	flag.StringVar(&c.waoScript, "wao-script", "bench/node/testdata/wao.mjs", "the WAO reference script")
	flag.IntVar(&c.waoLatN, "wao-lat-n", 30, "WAO: sequential messages")
	flag.IntVar(&c.waoProcs, "wao-procs", 10, "WAO: processes for throughput")
	flag.IntVar(&c.waoPerProc, "wao-per-proc", 3, "WAO: messages per process")
	cpuProfile := flag.String("cpuprofile", "", "write this program's CPU profile (includes the in-process node) to FILE")
	flag.Parse()
	switch *userKey {
	case "arweave":
		c.userKey = wallet.Arweave
	case "ed25519":
		c.userKey = wallet.Ed25519
	default:
		fmt.Fprintf(os.Stderr, "node: -user-key %q: want arweave or ed25519\n", *userKey)
		os.Exit(2)
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "node: -cpuprofile:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if c.bin == "" {
		fmt.Fprintln(os.Stderr, "node: -aonode BINARY is required")
		os.Exit(2)
	}
	if err := run(c); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "node:", err)
		os.Exit(1)
	}
}

// row is one line of the result table.
type row struct {
	name, value, target, ref string
}

func run(c config) error {
	var rows []row
	add := func(name, value, target, ref string) {
		rows = append(rows, row{name, value, target, ref})
		fmt.Fprintf(os.Stderr, "  %-58s %s\n", name, value)
	}
	module := modules.StockID("aos2_0_6")
	res, err := benchNode(c, module, add)
	if err != nil {
		return err
	}

	if c.budgetGiB > 0 {
		rate, err := inProcThroughput(module, c.userKey, uint64(c.budgetGiB)<<30, c.procs, c.perProc, c.workers)
		if err != nil {
			return err
		}
		add(fmt.Sprintf("messages/s (%d procs, in-process, %d GiB budget)", c.procs, c.budgetGiB), fmt.Sprintf("%.0f", rate), "≥ 800", "")
	}

	for _, kt := range []wallet.KeyType{wallet.Ed25519, wallet.Arweave} {
		rate, err := benchAssignments(kt, c.procs, c.procs, c.schedDur)
		if err != nil {
			return err
		}
		target := ""
		if kt == wallet.Ed25519 {
			target = "≥ 5,000"
		}
		add(fmt.Sprintf("durable assignments/s (%s key, %d procs in parallel)", kt, c.procs), fmt.Sprintf("%.0f", rate), target, "")
	}

	if c.wao {
		fmt.Fprintln(os.Stderr, "running the WAO reference…")
		w, err := runWAO(c.waoScript, module, c.waoLatN, c.waoProcs, c.waoPerProc)
		if err != nil {
			return fmt.Errorf("WAO reference: %w", err)
		}
		for i := range rows {
			switch rows[i].name {
			case "latency p50 (ms)":
				rows[i].ref = ratio(w.LatP50Ms, res.p50, "ms")
			case "latency p99 (ms)":
				rows[i].ref = ratio(w.LatP99Ms, res.p99, "ms")
			case fmt.Sprintf("messages/s (%d procs, %d clients)", c.procs, c.workers):
				rows[i].ref = fmt.Sprintf("%.1f/s (%d procs) → aonode %.0f×", w.MsgsPerSec, w.Procs-1, res.msgsPerSec/w.MsgsPerSec)
			case "spawns/s":
				rows[i].ref = fmt.Sprintf("%.1f/s → aonode %.1f×", w.SpawnPerSec, res.spawnsPerSec/w.SpawnPerSec)
			}
		}
		add("WAO RSS (MiB, whole Node process)", fmt.Sprintf("%.0f for %d procs", w.RSSMiB, w.Procs), "", "")
	}
	printTable(os.Stdout, rows)
	return nil
}

// ratio prints a WAO time and how many times slower it is than aonode's.
func ratio(wao, ours float64, unit string) string {
	return fmt.Sprintf("%.1f %s → aonode %.0f× faster", wao, unit, wao/ours)
}

func printTable(w io.Writer, rows []row) {
	fmt.Fprintf(w, "\n| %-58s | %-22s | %-9s | %s |\n", "measure", "aonode", "target", "WAO 0.35.7 (in-memory)")
	fmt.Fprintf(w, "|%s|%s|%s|%s|\n", dashes(60), dashes(24), dashes(11), dashes(24))
	for _, r := range rows {
		fmt.Fprintf(w, "| %-58s | %-22s | %-9s | %s |\n", r.name, r.value, r.target, r.ref)
	}
}

func dashes(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = '-'
	}
	return string(b)
}

// nodeFigures are the node figures the WAO ratios need.
type nodeFigures struct {
	p50, p99, msgsPerSec, handlerPerSec, spawnsPerSec float64
}

// benchNode runs the HTTP figures against a fresh node.
func benchNode(c config, module string, add func(name, value, target, ref string)) (*nodeFigures, error) {
	tmp, err := os.MkdirTemp("", "aonode-bench-node-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	data := filepath.Join(tmp, "data")
	nodeKey, err := wallet.New(wallet.Ed25519)
	if err != nil {
		return nil, err
	}
	walletPath := filepath.Join(tmp, "node.json")
	if err := nodeKey.Save(walletPath); err != nil {
		return nil, err
	}
	if out, err := exec.Command(c.bin, "module", "import-stock", "--data", data, "--wallet", walletPath).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("module import-stock: %v\n%s", err, out)
	}
	var serveArgs []string
	if c.warmBudget != "" {
		serveArgs = append(serveArgs, "--warm-budget", c.warmBudget)
	}
	node, err := startNode(c.bin, data, walletPath, serveArgs...)
	if err != nil {
		return nil, err
	}
	defer func() { node.stop() }()
	user, err := wallet.New(c.userKey)
	if err != nil {
		return nil, err
	}
	cl := &client{
		hc:  &http.Client{Timeout: 5 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 256}},
		url: node.url, user: user, module: module, sched: nodeKey.Address(),
	}
	f := &nodeFigures{}

	// Latency: one warm process, sequential messages.
	pids, _, err := cl.spawn(1, 1, "lat")
	if err != nil {
		return nil, err
	}
	lp := pids[0]
	_, raws, err := cl.presign([]string{lp}, 20+c.latN)
	if err != nil {
		return nil, err
	}
	lat := make([]time.Duration, 0, c.latN)
	for i, raw := range raws {
		t := time.Now()
		if err := cl.push(lp, raw); err != nil {
			return nil, err
		}
		if i >= 20 {
			lat = append(lat, time.Since(t))
		}
	}
	f.p50, f.p99 = ms(percentile(lat, 50)), ms(percentile(lat, 99))
	add("latency p50 (ms)", fmt.Sprintf("%.2f", f.p50), "≤ 5", "")
	add("latency p99 (ms)", fmt.Sprintf("%.2f", f.p99), "", "")

	// Memory: RSS delta of c.warm processes spawned and messaged once.
	rss0, err := node.rssBytes()
	if err != nil {
		return nil, err
	}
	warm, _, err := cl.spawn(c.warm, 1, "warm")
	if err != nil {
		return nil, err
	}
	to, raws, err := cl.presign(warm, 1)
	if err != nil {
		return nil, err
	}
	for i := range raws {
		if err := cl.push(to[i], raws[i]); err != nil {
			return nil, err
		}
	}
	rss1, err := node.rssBytes()
	if err != nil {
		return nil, err
	}
	per := float64(rss1-rss0) / float64(c.warm)
	add("RSS per idle warm aos process (MiB)", fmt.Sprintf("%.1f", per/(1<<20)), "", "")
	add("warm processes in 24 GiB (RSS bound)", fmt.Sprintf("%.0f", float64(24<<30)/per), "", "")

	// Throughput: c.procs processes, c.workers clients, pre-signed.
	more, _, err := cl.spawn(c.procs-len(warm), c.workers, "tp")
	if err != nil {
		return nil, err
	}
	tp := append(append([]string(nil), warm...), more...)
	// First a set small enough to stay warm under compute's memory budget.
	if k := min(c.procsWarm, len(tp)); k > 0 {
		to, raws, err := cl.presign(tp[:k], 1+c.perProc)
		if err != nil {
			return nil, err
		}
		for i := 0; i < k; i++ { // untimed: bring each one back in
			if err := cl.push(to[i], raws[i]); err != nil {
				return nil, err
			}
		}
		to, raws = to[k:], raws[k:]
		start := time.Now()
		if err := parallel(len(raws), c.workers, func(i int) error { return cl.push(to[i], raws[i]) }); err != nil {
			return nil, err
		}
		add(fmt.Sprintf("messages/s (%d procs, all warm, %d clients)", k, c.workers), fmt.Sprintf("%.0f", float64(len(raws))/time.Since(start).Seconds()), "", "")
	}
	to, raws, err = cl.presign(tp, c.perProc)
	if err != nil {
		return nil, err
	}
	n0, err := node.sample()
	if err != nil {
		return nil, err
	}
	start := time.Now()
	if err := parallel(len(raws), c.workers, func(i int) error { return cl.push(to[i], raws[i]) }); err != nil {
		return nil, err
	}
	elapsed := time.Since(start).Seconds()
	f.msgsPerSec = float64(len(raws)) / elapsed
	n1, err := node.sample()
	if err != nil {
		return nil, err
	}
	add(fmt.Sprintf("messages/s (%d procs, %d clients)", c.procs, c.workers), fmt.Sprintf("%.0f", f.msgsPerSec), "≥ 800", "")
	perMsg := (n1.cpu - n0.cpu) / float64(len(raws))
	add(fmt.Sprintf("node CPU per message (ms, %d procs)", c.procs), fmt.Sprintf("%.2f", perMsg*1000), "", "")
	add(fmt.Sprintf("messages/s if the node had all %d cores", runtime.NumCPU()), fmt.Sprintf("%.0f", float64(runtime.NumCPU())/perMsg), "", "")
	add("node context switches per message", fmt.Sprintf("%.1f", float64(n1.switches-n0.switches)/float64(len(raws))), "", "")
	// Where the rest of the machine went: the clients (this program,
	// sending pre-signed items) and idle time.
	add(fmt.Sprintf("client CPU per message (ms, %d procs)", c.procs), fmt.Sprintf("%.2f", (n1.machine.client-n0.machine.client)/float64(len(raws))*1000), "", "")
	add("machine idle during the run (%)", fmt.Sprintf("%.0f", 100*(n1.machine.idle-n0.machine.idle)/(elapsed*float64(runtime.NumCPU()))), "", "")

	// Reads: every result just computed, by slot, each read a pre-signed item.
	reads := make([][]byte, len(raws))
	paths := make([]string, len(raws))
	for i := range reads {
		if reads[i], err = readItem(user); err != nil {
			return nil, err
		}
		paths[i] = fmt.Sprintf("/%s~process@1.0/compute/results=%d", tp[i%len(tp)], 1+i/len(tp))
	}
	start = time.Now()
	if err := parallel(len(reads), c.workers, func(i int) error {
		_, err := postOK(cl.hc, cl.url, paths[i], reads[i])
		return err
	}); err != nil {
		return nil, err
	}
	add("result reads/s (signed, by slot)", fmt.Sprintf("%.0f", float64(len(reads))/time.Since(start).Seconds()), "", "")

	// Throughput with a handler message (no Lua compilation per message).
	if err := cl.installCount(tp, c.workers); err != nil {
		return nil, err
	}
	to, raws, err = cl.presignCount(tp, c.perProc)
	if err != nil {
		return nil, err
	}
	if n0, err = node.sample(); err != nil {
		return nil, err
	}
	start = time.Now()
	if err := parallel(len(raws), c.workers, func(i int) error { return cl.push(to[i], raws[i]) }); err != nil {
		return nil, err
	}
	f.handlerPerSec = float64(len(raws)) / time.Since(start).Seconds()
	if n1, err = node.sample(); err != nil {
		return nil, err
	}
	add(fmt.Sprintf("messages/s (%d procs, %d clients, handler message)", c.procs, c.workers), fmt.Sprintf("%.0f", f.handlerPerSec), "≥ 800", "")
	perMsg = (n1.cpu - n0.cpu) / float64(len(raws))
	add(fmt.Sprintf("node CPU per handler message (ms, %d procs)", c.procs), fmt.Sprintf("%.2f", perMsg*1000), "", "")

	// Spawn N, then message processes that were evicted long ago.
	if c.spawnN > 0 {
		rssSpawn, rssErr := node.rssBytes()
		sp, d, err := cl.spawn(c.spawnN, c.workers, "many")
		if err != nil {
			return nil, err
		}
		f.spawnsPerSec = float64(c.spawnN) / d.Seconds()
		add(fmt.Sprintf("spawn %d processes (s)", c.spawnN), fmt.Sprintf("%.1f", d.Seconds()), "", "")
		add("spawns/s", fmt.Sprintf("%.1f", f.spawnsPerSec), "", "")
		if rss, err := node.rssBytes(); err == nil {
			add(fmt.Sprintf("node RSS after %d processes (MiB)", len(sp)+len(tp)+1), fmt.Sprintf("%.0f", float64(rss)/(1<<20)), "", "")
			// Over many processes the Go heap's garbage between
			// collections (up to ~64 MiB, see serve's heap floor) stops
			// mattering, unlike in the 20-process figure above.
			if rssErr == nil {
				add(fmt.Sprintf("RSS per spawned process (MiB, over %d spawns)", c.spawnN), fmt.Sprintf("%.2f", float64(rss-rssSpawn)/float64(c.spawnN)/(1<<20)), "", "")
			}
		}
		// The oldest of them were evicted if the warm budget is smaller
		// than they need: message some, in spawn order, before a restart.
		n := min(c.coldN, len(sp))
		to, raws, err := cl.presign(sp[:n], 1)
		if err != nil {
			return nil, err
		}
		evicted, err := cl.timedPushes(to, raws)
		if err != nil {
			return nil, err
		}
		add("oldest spawned process, no restart: 1 msg p50 (ms)", fmt.Sprintf("%.1f", ms(percentile(evicted, 50))), "", "")
		add("oldest spawned process, no restart: 1 msg max (ms)", fmt.Sprintf("%.1f", ms(percentile(evicted, 100))), "", "")
		// Restart the node so that every process is cold: under the
		// default warm budget all of them would still be warm.
		node.stop()
		if node, err = startNode(c.bin, data, walletPath, serveArgs...); err != nil {
			return nil, err
		}
		cl.url = node.url
		rest := sp[n:min(2*n, len(sp))]
		if len(rest) == 0 {
			rest = sp[:n]
		}
		to, raws, err = cl.presign(rest, 1)
		if err != nil {
			return nil, err
		}
		cold, err := cl.timedPushes(to, raws)
		if err != nil {
			return nil, err
		}
		add("cold new process after restart: resume + 1 msg p50 (ms)", fmt.Sprintf("%.1f", ms(percentile(cold, 50))), "", "")
		add("cold new process after restart: resume + 1 msg max (ms)", fmt.Sprintf("%.1f", ms(percentile(cold, 100))), "", "")
		// The latency process has a long history and memory snapshots;
		// after the restart it restores its latest one.
		_, raws, err = cl.presign([]string{lp}, 1)
		if err != nil {
			return nil, err
		}
		t := time.Now()
		if err := cl.push(lp, raws[0]); err != nil {
			return nil, err
		}
		add(fmt.Sprintf("cold process with %d slots after restart: resume + 1 msg (ms)", 21+c.latN), fmt.Sprintf("%.1f", ms(time.Since(t))), "", "")
	}
	return f, nil
}
