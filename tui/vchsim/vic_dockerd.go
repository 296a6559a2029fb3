package main

import (
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// A real dockerd as a VCH's Docker API (-dockerd PATH): it listens on the VCH's client address and Docker
// port with exactly the configuration's server certificate, key and client CAs (written 0600 into a private
// folder), isolated like the test suite's daemons: no iptables, no bridge, vfs storage, its own data root,
// exec root (short, under /tmp: containerd's socket paths are limited), pidfile and an empty config file.
// It dies with the simulator (SIGTERM on parent death) and stop() also ends the containerd it started.
type dockerdBackend struct {
	cmd      *exec.Cmd
	work     string // data root, config, TLS files, log
	short    string // exec root
	logPath  string
	exited   chan struct{}
	stopOnce bool
}

const dockerdStartTimeout = 40 * time.Second

func startDockerd(binary string, addr *net.TCPAddr, t *dockerTLS, cfg *applianceConfig) (*dockerdBackend, error) {
	work, err := os.MkdirTemp("", "vchsim-dockerd-")
	if err != nil {
		return nil, err
	}
	short, err := os.MkdirTemp("/tmp", "vd")
	if err != nil {
		os.RemoveAll(work)
		return nil, err
	}
	d := &dockerdBackend{work: work, short: short, logPath: filepath.Join(work, "dockerd.log"), exited: make(chan struct{})}
	args := []string{"--config-file", filepath.Join(work, "daemon.json"),
		"--iptables=false", "--ip-forward=false", "--ip-masq=false", "--bridge=none", "--userland-proxy=false",
		"--storage-driver=vfs", "--data-root", filepath.Join(work, "data"), "--exec-root", filepath.Join(short, "x"),
		"--pidfile", filepath.Join(work, "dockerd.pid"), "-H", "tcp://" + addr.String()}
	tlsArgs, err := d.writeTLS(t, cfg)
	if err == nil {
		err = os.WriteFile(filepath.Join(work, "daemon.json"), []byte("{}\n"), 0o600)
	}
	if err != nil {
		d.cleanup()
		return nil, err
	}
	logFile, err := os.OpenFile(d.logPath, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		d.cleanup()
		return nil, err
	}
	d.cmd = exec.Command(binary, append(args, tlsArgs...)...)
	d.cmd.Stdout, d.cmd.Stderr = logFile, logFile
	d.cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	d.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := d.cmd.Start(); err != nil {
		logFile.Close()
		d.cleanup()
		return nil, fmt.Errorf("starting %s: %v", binary, err)
	}
	logFile.Close()
	go func() { _ = d.cmd.Wait(); close(d.exited) }()

	ready := "API listen on " + addr.String()
	deadline := time.Now().Add(dockerdStartTimeout)
	for time.Now().Before(deadline) {
		if strings.Contains(d.log(), ready) {
			return d, nil
		}
		select {
		case <-d.exited:
			tail := d.logTail(8)
			d.stop()
			return nil, fmt.Errorf("dockerd exited before listening on %s:\n%s", addr, tail)
		case <-time.After(50 * time.Millisecond):
		}
	}
	tail := d.logTail(8)
	d.stop()
	return nil, fmt.Errorf("dockerd did not listen on %s within %s:\n%s", addr, dockerdStartTimeout, tail)
}

func (d *dockerdBackend) writeTLS(t *dockerTLS, cfg *applianceConfig) ([]string, error) {
	if t.Mode == "plain" {
		return []string{"--tls=false"}, nil
	}
	cert, key := filepath.Join(d.work, "server-cert.pem"), filepath.Join(d.work, "server-key.pem")
	if err := os.WriteFile(cert, cfg.HostCert, 0o600); err != nil {
		return nil, err
	}
	if err := os.WriteFile(key, normalisedKey(cfg.HostKey), 0o600); err != nil {
		return nil, err
	}
	args := []string{"--tlscert", cert, "--tlskey", key}
	if t.Mode == "tlsverify" {
		ca := filepath.Join(d.work, "client-ca.pem")
		if err := os.WriteFile(ca, cfg.ClientCAs, 0o600); err != nil {
			return nil, err
		}
		return append([]string{"--tlsverify", "--tlscacert", ca}, args...), nil
	}
	return append([]string{"--tls", "--tlsverify=false"}, args...), nil
}

// normalisedKey keeps only the PEM blocks (dockerd reads the first one).
func normalisedKey(b []byte) []byte {
	var out []byte
	for rest := b; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		out = append(out, pem.EncodeToMemory(block)...)
	}
	if out == nil {
		return b
	}
	return out
}

func (d *dockerdBackend) log() string {
	b, _ := os.ReadFile(d.logPath)
	return string(b)
}

func (d *dockerdBackend) logTail(n int) string {
	lines := strings.Split(strings.TrimSpace(d.log()), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

var containerdPid = regexp.MustCompile(`started new containerd process" (?:address=\S+ )?.*?pid=(\d+)`)

// stop: SIGTERM; once dockerd logs "Daemon shutdown complete" the rest is a reconnect wait, so it is killed
// then; its containerd (checked by our exec root in its command line) is killed too; folders removed.
func (d *dockerdBackend) stop() {
	if d == nil || d.stopOnce {
		return
	}
	d.stopOnce = true
	containerd := 0
	if m := containerdPid.FindStringSubmatch(d.log()); m != nil {
		containerd, _ = strconv.Atoi(m[1])
	}
	if d.cmd != nil && d.cmd.Process != nil {
		_ = d.cmd.Process.Signal(syscall.SIGTERM)
		deadline := time.Now().Add(15 * time.Second)
	wait:
		for time.Now().Before(deadline) {
			select {
			case <-d.exited:
				break wait
			case <-time.After(20 * time.Millisecond):
				if strings.Contains(d.log(), "Daemon shutdown complete") {
					time.Sleep(50 * time.Millisecond)
					break wait
				}
			}
		}
		_ = syscall.Kill(-d.cmd.Process.Pid, syscall.SIGKILL)
		select {
		case <-d.exited:
		case <-time.After(5 * time.Second):
		}
	}
	if containerd > 0 {
		if cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", containerd)); err == nil && strings.Contains(string(cmdline), d.short) {
			_ = syscall.Kill(containerd, syscall.SIGKILL)
		}
	}
	d.cleanup()
}

func (d *dockerdBackend) cleanup() {
	_ = os.RemoveAll(d.work)
	_ = os.RemoveAll(d.short)
}
