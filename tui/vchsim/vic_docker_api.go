package main

import (
	"encoding/json"
	"net"
	"net/http"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// The built-in Docker API endpoint: what VIC's docker personality answers on /_ping, /version, /info and
// /containers/json when its port layer is up and the VCH has no containers. /info follows
// lib/apiservers/engine/backends/system.go: Driver is the port layer's name ("vSphere Integrated Containers
// v1.5.8-0-2c978fe Backend Engine"), SystemStatus carries ["VolumeStores", "<labels joined by space>"] and
// [Driver, "RUNNING"] (vic-machine create waits for both), the container networks are the network plugins.
// API version 1.25 (minimum 1.19), as VIC 1.5 serves; newer client versions are refused like its version
// middleware does. Anything else answers 404.
const (
	vicAPIVersion    = "1.25"
	vicMinAPIVersion = "1.19"
	vicProduct       = "vSphere Integrated Containers"
)

type builtinDocker struct {
	cfg    *applianceConfig
	volume []string
	server *http.Server
}

var versionedPath = regexp.MustCompile(`^/v(\d+\.\d+)(/.*)$`)

func (d *builtinDocker) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	path := req.URL.Path
	if m := versionedPath.FindStringSubmatch(path); m != nil {
		if newerThan(m[1], vicAPIVersion) {
			d.reply(w, http.StatusBadRequest, map[string]string{"message": "client version " + m[1] +
				" is too new. Maximum supported API version is " + vicAPIVersion})
			return
		}
		path = m[2]
	}
	switch {
	case path == "/_ping" && (req.Method == http.MethodGet || req.Method == http.MethodHead):
		d.headers(w)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		if req.Method == http.MethodGet {
			_, _ = w.Write([]byte("OK"))
		}
	case path == "/version" && req.Method == http.MethodGet:
		d.reply(w, http.StatusOK, d.version())
	case path == "/info" && req.Method == http.MethodGet:
		d.reply(w, http.StatusOK, d.info())
	case path == "/containers/json" && req.Method == http.MethodGet:
		d.reply(w, http.StatusOK, []interface{}{})
	default:
		d.reply(w, http.StatusNotFound, map[string]string{"message": "page not found"})
	}
}

func (d *builtinDocker) headers(w http.ResponseWriter) {
	w.Header().Set("Api-Version", vicAPIVersion)
	w.Header().Set("Docker-Experimental", "true")
	w.Header().Set("Ostype", "linux")
	w.Header().Set("Server", "Docker/"+vicAPIVersion+" (linux)")
}

func (d *builtinDocker) reply(w http.ResponseWriter, code int, v interface{}) {
	d.headers(w)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func (d *builtinDocker) driver() string {
	return vicProduct + " " + d.cfg.Version.Short() + " Backend Engine"
}

func (d *builtinDocker) version() map[string]interface{} {
	build := d.cfg.Version.BuildDate
	if t, err := time.Parse("2006/01/02@15:04:05", build); err == nil {
		build = t.Format(time.ANSIC)
	}
	return map[string]interface{}{
		"Version": strings.TrimPrefix(d.cfg.Version.Version, "v"), "ApiVersion": vicAPIVersion,
		"MinAPIVersion": vicMinAPIVersion, "GitCommit": d.cfg.Version.GitCommit, "GoVersion": runtime.Version(),
		"Os": "linux", "Arch": runtime.GOARCH, "KernelVersion": "-", "Experimental": true, "BuildTime": build,
	}
}

func (d *builtinDocker) info() map[string]interface{} {
	status := [][2]string{{"VolumeStores", strings.Join(d.volume, " ")}, {d.driver(), "RUNNING"}}
	var networks []string
	networks = append(networks, d.cfg.ContainerNetworks...)
	plugins := map[string]interface{}{"Network": networks, "Volume": nil}
	if len(d.volume) > 0 {
		plugins["Volume"] = []string{"vsphere"}
	}
	return map[string]interface{}{
		"ID": vicProduct, "Name": d.cfg.Name, "Driver": d.driver(), "ServerVersion": d.cfg.Version.Short(),
		"Containers": 0, "ContainersRunning": 0, "ContainersPaused": 0, "ContainersStopped": 0, "Images": 0,
		"Debug": d.cfg.Debug > 0, "SystemStatus": status, "Plugins": plugins, "OSType": "linux",
		"Architecture": runtime.GOARCH, "IndexServerAddress": "https://index.docker.io/v1/",
		"SystemTime": time.Now().Format(time.RFC3339Nano), "NGoroutines": runtime.NumGoroutine(),
	}
}

// serve starts answering on l (already bound to the VCH's client address and Docker port).
func (d *builtinDocker) serve(l net.Listener, t *dockerTLS) {
	d.server = &http.Server{Handler: d, ReadHeaderTimeout: 10 * time.Second, TLSConfig: t.Config,
		ErrorLog: nil}
	go func() {
		if t.Config != nil {
			_ = d.server.ServeTLS(l, "", "")
		} else {
			_ = d.server.Serve(l)
		}
	}()
}

func (d *builtinDocker) stop() {
	if d.server != nil {
		_ = d.server.Close()
	}
}

func newerThan(a, b string) bool {
	pa, pb := strings.SplitN(a, ".", 2), strings.SplitN(b, ".", 2)
	ma, _ := strconv.Atoi(pa[0])
	mb, _ := strconv.Atoi(pb[0])
	if ma != mb {
		return ma > mb
	}
	na, _ := strconv.Atoi(pa[1])
	nb, _ := strconv.Atoi(pb[1])
	return na > nb
}
