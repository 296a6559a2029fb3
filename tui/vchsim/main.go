// Command vchsim is vch-tui's vSphere test rig: the govmomi 0.24.2 simulator (vcsim, VPX model) with a
// fixed inventory (inventory.go; -model esx: a standalone ESXi host, esx_inventory.go), its own TLS
// certificate (cert.go), latency, fault injection (faults.go), per-VM perf scenarios (perf_scenario.go) and a
// control API under /vchsim/ (control.go).
//
// The password arrives on an inherited file descriptor (-password-fd N, read to EOF), never in the
// environment or on the command line. When serving, vchsim prints one
// JSON line on stdout (url, host, port, mode, control, cert_pem, sha256, sha1, pid, inventory) and runs
// until SIGTERM/SIGINT or until stdin reaches EOF (-watch-stdin), so it dies with the process that
// started it. Logs go to stderr.
package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/ioutil"
	"log"
	"net"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25"
)

type options struct {
	listen, mode, model, certDir, dataDir, username, scenarioFile, dockerd string
	vms, delayMs, passwordFD                                               int
	strict, watchStdin                                                     bool
}

type readyLine struct {
	URL       string     `json:"url"`
	Host      string     `json:"host"`
	Port      int        `json:"port"`
	Mode      string     `json:"mode"`
	Control   string     `json:"control"`
	CertPEM   string     `json:"cert_pem"`
	SHA256    string     `json:"sha256"`
	SHA1      string     `json:"sha1"`
	PID       int        `json:"pid"`
	DataDir   string     `json:"data_dir"`
	Inventory *inventory `json:"inventory"`
	DockerAPI string     `json:"appliance_docker_api"` // "builtin" or "dockerd" (see vic_standin.go)
}

// usageError exits with status 2, runtime errors with 1.
type usageError struct{ error }

func main() {
	log.SetPrefix("vchsim: ")
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "vchsim: %v\n", err)
		var u usageError
		if errors.As(err, &u) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

func parseFlags(args []string) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("vchsim", flag.ContinueOnError)
	fs.StringVar(&o.listen, "listen", "127.0.0.1:0", "loopback address to serve on (port 0: any free port)")
	fs.StringVar(&o.mode, "mode", "https", "https or http")
	fs.StringVar(&o.model, "model", "vpx", "vpx (a vCenter with the fixed inventory of inventory.go) or esx (a standalone ESXi host, esx_inventory.go)")
	fs.StringVar(&o.certDir, "cert-dir", "", "directory for vchsim-cert.pem/vchsim-key.pem (reused if present, else generated); default: a temporary directory removed on exit")
	fs.StringVar(&o.dataDir, "data-dir", "", "directory for datastore contents; default: a temporary directory removed on exit")
	fs.StringVar(&o.username, "username", "vcsim-user", "login user name (the password is read from -password-fd)")
	fs.IntVar(&o.passwordFD, "password-fd", -1, "file descriptor (a pipe the parent writes and closes) to read the login password from")
	fs.StringVar(&o.dockerd, "dockerd", "", "dockerd binary the VIC appliance stand-in runs as a VCH's Docker API (default: its built-in endpoint)")
	fs.IntVar(&o.vms, "vms", 0, "number of extra powered-on VMs (scale-<12 hex>) in pool and folder \"scale\"")
	fs.IntVar(&o.delayMs, "delay-ms", 0, "latency added to every SOAP call, in milliseconds (changeable via POST /vchsim/delay)")
	fs.StringVar(&o.scenarioFile, "scenario", "", "JSON file with per-VM perf series (see POST /vchsim/scenario)")
	fs.BoolVar(&o.strict, "strict-sessions", true, "answer calls without a valid session with NotAuthenticated (vcsim lets property reads through) and require the session cookie for /folder")
	fs.BoolVar(&o.watchStdin, "watch-stdin", true, "exit when stdin reaches EOF")
	if err := fs.Parse(args); err != nil {
		return nil, usageError{err}
	}
	if fs.NArg() > 0 {
		return nil, usageError{fmt.Errorf("unexpected argument %q (the password goes on -password-fd)", fs.Arg(0))}
	}
	if o.mode != "https" && o.mode != "http" {
		return nil, usageError{fmt.Errorf("-mode must be https or http, got %q", o.mode)}
	}
	if o.model != "vpx" && o.model != "esx" {
		return nil, usageError{fmt.Errorf("-model must be vpx or esx, got %q", o.model)}
	}
	if o.model == "esx" && o.vms > 0 {
		return nil, usageError{errors.New("-vms needs -model vpx (the scale VMs go into the cluster)")}
	}
	if o.vms < 0 || o.vms > 50000 {
		return nil, usageError{fmt.Errorf("-vms must be between 0 and 50000, got %d", o.vms)}
	}
	if o.delayMs < 0 {
		return nil, usageError{fmt.Errorf("-delay-ms must be >= 0, got %d", o.delayMs)}
	}
	if o.username == "" {
		return nil, usageError{errors.New("-username must not be empty")}
	}
	if o.dockerd != "" {
		if st, err := os.Stat(o.dockerd); err != nil || st.IsDir() || st.Mode()&0o111 == 0 {
			return nil, usageError{fmt.Errorf("-dockerd %q is not an executable file", o.dockerd)}
		}
	}
	host, port, err := net.SplitHostPort(o.listen)
	if err != nil {
		return nil, usageError{fmt.Errorf("-listen %q: want HOST:PORT, e.g. 127.0.0.1:0", o.listen)}
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return nil, usageError{fmt.Errorf("-listen %q: port must be 0-65535", o.listen)}
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, usageError{errNotLoopback}
	}
	return o, nil
}

func run(args []string) error {
	o, err := parseFlags(args)
	if err != nil {
		return err
	}
	password, err := readPassword(o.passwordFD)
	if err != nil {
		return err
	}

	var cleanup []string
	defer func() {
		for _, d := range cleanup {
			_ = os.RemoveAll(d)
		}
	}()
	tempDir := func(prefix string) (string, error) {
		d, err := ioutil.TempDir("", prefix)
		if err == nil {
			cleanup = append(cleanup, d)
		}
		return d, err
	}
	if o.dataDir == "" {
		if o.dataDir, err = tempDir("vchsim-data-"); err != nil {
			return err
		}
	}

	var cert *serverCert
	if o.mode == "https" {
		if o.certDir == "" {
			if o.certDir, err = tempDir("vchsim-cert-"); err != nil {
				return err
			}
		}
		if cert, err = loadOrCreateCert(o.certDir); err != nil {
			return err
		}
	}

	ctx := context.Background()
	model := simulator.VPX()
	build := buildInventory
	if o.model == "esx" {
		model, build = simulator.ESX(), buildESXInventory
	}
	model.Datacenter, model.Portgroup, model.Host, model.Cluster = 0, 0, 0, 0
	model.ClusterHost, model.Datastore, model.Machine = 0, 0, 0
	if err := model.Create(); err != nil {
		return fmt.Errorf("simulator: %v", err)
	}
	defer model.Remove()

	client, err := vim25.NewClient(ctx, model.Service)
	if err != nil {
		return err
	}
	inv, err := build(ctx, client, o.dataDir)
	if err != nil {
		return err
	}
	separateHostFirewalls()
	if o.vms > 0 {
		if err := createScaleVMs(ctx, client, inv, o.vms); err != nil {
			return err
		}
	}

	perfRef := *client.ServiceContent.PerfManager
	store := newScenarioStore(simulator.Map.Get(perfRef).(*simulator.PerformanceManager).PerfCounter)
	if o.scenarioFile != "" {
		raw, err := ioutil.ReadFile(o.scenarioFile)
		if err != nil {
			return usageError{fmt.Errorf("-scenario: %v", err)}
		}
		sc, err := store.parse(raw)
		if err != nil {
			return usageError{fmt.Errorf("-scenario %s: %v", o.scenarioFile, err)}
		}
		store.set(sc)
	}
	installScenarioPerfManager(perfRef, store)

	model.Service.Listen = &url.URL{Host: o.listen, User: url.UserPassword(o.username, password)}
	if cert != nil {
		model.Service.TLS = &tls.Config{Certificates: []tls.Certificate{cert.tls}, MinVersion: tls.VersionTLS12}
	}
	server, err := newServer(model.Service)
	if err != nil {
		return err
	}
	// Not server.Close(): it waits for outstanding requests, and a client blocked in WaitForUpdatesEx
	// would hold the exit (and the temp-dir clean-up) until the launcher's SIGKILL.
	defer server.CloseClientConnections()
	defer server.Listener.Close()

	r := &rig{
		next:     server.Config.Handler,
		client:   client,
		username: o.username,
		strict:   o.strict,
		faults:   newFaultRegistry(),
		scenario: store,
		sessions: map[string]struct{}{},
		disabled: newDisabledMethods(),
		configs:  newVMConfigs(),
	}
	r.standIn = newStandIn(r.configs, o.dockerd)
	simulator.Map.AddHandler(r.standIn)
	defer r.standIn.stopAll()
	r.control = r.controlHandler()
	r.setDelay(o.delayMs, nil)
	// Swapped before anyone knows the port: the ready line below is the first place it appears.
	server.Config.Handler = r

	addr := server.Listener.Addr().(*net.TCPAddr)
	scheme := o.mode
	host := addr.IP.String()
	base := fmt.Sprintf("%s://%s", scheme, net.JoinHostPort(host, strconv.Itoa(addr.Port)))
	ready := readyLine{
		URL: base + vim25.Path, Host: host, Port: addr.Port, Mode: o.mode,
		Control: base + "/vchsim", PID: os.Getpid(), DataDir: o.dataDir, Inventory: inv, DockerAPI: "builtin",
	}
	if o.dockerd != "" {
		ready.DockerAPI = "dockerd"
	}
	r.standIn.self, _ = url.Parse(ready.URL)
	if cert != nil {
		ready.CertPEM, ready.SHA256, ready.SHA1 = cert.pemPath, cert.sha256, cert.sha1
	}
	line, err := json.Marshal(ready)
	if err != nil {
		return err
	}
	fmt.Println(string(line))

	waitForStop(o.watchStdin)
	return nil
}

// newServer turns vcsim's panic on a busy/invalid address into an error.
func newServer(svc *simulator.Service) (server *simulator.Server, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("cannot listen on %s: %v", svc.Listen.Host, p)
		}
	}()
	return svc.NewServer(), nil
}

func waitForStop(watchStdin bool) {
	stop := make(chan struct{}, 2)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		s := <-sig
		log.Printf("received %s, stopping", s)
		stop <- struct{}{}
	}()
	if watchStdin {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			log.Printf("stdin closed, stopping")
			stop <- struct{}{}
		}()
	}
	<-stop
}
