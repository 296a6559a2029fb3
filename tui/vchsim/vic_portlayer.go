package main

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/session"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/soap"
)

// The port layer's start (port-layer-server: session.Create, portlayer.Init, the storage handlers), against
// this simulator's own SOAP endpoint:
//   - its flags come from the session's environment: VC_URL, DC_PATH, CS_PATH, POOL_PATH, DS_PATH are
//     required (go-flags refuses to start without them);
//   - it logs in to connect/target as connect/username with the decrypted connect/token, pinning the
//     target's certificate by connect/target_thumbprint (SHA-1), then finds the datacenter, cluster, pool and
//     datastore of DC_PATH, CS_PATH, POOL_PATH and DS_PATH (session.Populate);
//   - without an image store it panics ("No image stores provided"), and an image store on a datastore it
//     cannot find is fatal too; a volume store that cannot be brought online is only logged, and /info
//     then lists the ones that are online.
//
// Any fatal step makes port-layer-server exit; the stand-in reports that error text as the session's
// `started` (see vic_sessions.go). It only ever talks to the simulator it runs in: a target elsewhere is
// refused before any connection is made.
type portLayer struct {
	client       *vim25.Client
	volumeStores []string // labels online
	offline      map[string]string
}

var requiredPortLayerEnv = []string{"VC_URL", "DC_PATH", "CS_PATH", "POOL_PATH", "DS_PATH"}

func startPortLayer(ctx context.Context, cfg *applianceConfig, sess *sessionConfig, self *url.URL) (*portLayer, error) {
	var missing []string
	for _, name := range requiredPortLayerEnv {
		if v, ok := sess.env(name); !ok || v == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("the required environment of port-layer-server is missing: %s", strings.Join(missing, ", "))
	}
	target, err := soap.ParseURL(cfg.Target)
	if err != nil || target == nil {
		return nil, fmt.Errorf("SDK URL (%s) could not be parsed: %v", cfg.Target, err)
	}
	if !sameEndpoint(target, self) {
		return nil, fmt.Errorf("connect/target %s is not this simulator (%s): the stand-in logs in to its own endpoint only", cfg.Target, self.Host)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	sc := soap.NewClient(target, false)
	if target.Scheme == "https" {
		sc.SetThumbprint(target.Host, cfg.Thumbprint)
	}
	c, err := vim25.NewClient(ctx, sc)
	if err != nil {
		return nil, fmt.Errorf("failed to connect to %s: %v", target.Host, err)
	}
	if err := session.NewManager(c).Login(ctx, url.UserPassword(cfg.Username, cfg.Token)); err != nil {
		if cfg.TokenErr != nil { // VIC's decoder logs this and logs in with an empty token
			err = fmt.Errorf("%v (the token was unreadable: %v)", err, cfg.TokenErr)
		}
		return nil, fmt.Errorf("failed to log in to %s as %q: %v", target.Host, cfg.Username, err)
	}
	pl := &portLayer{client: c, offline: map[string]string{}}
	if err := pl.populate(ctx, sess, cfg); err != nil {
		pl.stop()
		return nil, err
	}
	return pl, nil
}

func (pl *portLayer) populate(ctx context.Context, sess *sessionConfig, cfg *applianceConfig) error {
	f := find.NewFinder(pl.client, false)
	dcPath, _ := sess.env("DC_PATH")
	dc, err := f.Datacenter(ctx, dcPath)
	if err != nil {
		return fmt.Errorf("failure finding dc (%s): %v", dcPath, err)
	}
	f.SetDatacenter(dc)
	for _, lookup := range []struct {
		env  string
		find func(context.Context, string) error
	}{
		// pkg/vsphere/session: ComputeResourceOrDefault, so a standalone host's compute resource works too
		{"CS_PATH", func(ctx context.Context, p string) error { _, err := f.ComputeResourceOrDefault(ctx, p); return err }},
		{"POOL_PATH", func(ctx context.Context, p string) error { _, err := f.ResourcePool(ctx, p); return err }},
		{"DS_PATH", func(ctx context.Context, p string) error { _, err := f.Datastore(ctx, p); return err }},
	} {
		p, _ := sess.env(lookup.env)
		if err := lookup.find(ctx, p); err != nil {
			return fmt.Errorf("failure finding %s (%s): %v", strings.ToLower(strings.TrimSuffix(lookup.env, "_PATH")), p, err)
		}
	}
	if len(cfg.ImageStores) == 0 {
		return fmt.Errorf("No image stores provided; unable to instantiate storage layer")
	}
	if _, err := f.Datastore(ctx, cfg.ImageStores[0].Host); err != nil {
		return fmt.Errorf("Cannot instantiate storage layer: datastore %q: %v", cfg.ImageStores[0].Host, err)
	}
	for _, label := range sortedKeys(cfg.VolumeStores) {
		vs := cfg.VolumeStores[label]
		switch {
		case vs.Scheme != "ds":
			pl.offline[label] = fmt.Sprintf("scheme %q: no NFS server in the simulator", vs.Scheme)
		default:
			if _, err := f.Datastore(ctx, vs.Host); err != nil {
				pl.offline[label] = fmt.Sprintf("datastore %q: %v", vs.Host, err)
			} else {
				pl.volumeStores = append(pl.volumeStores, label)
			}
		}
	}
	sort.Strings(pl.volumeStores)
	return nil
}

func (pl *portLayer) stop() {
	if pl == nil || pl.client == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = session.NewManager(pl.client).Logout(ctx)
}

// sameEndpoint: the URL names this simulator's listener (localhost and 127.0.0.1 are the same host).
func sameEndpoint(target, self *url.URL) bool {
	th, tp, err1 := net.SplitHostPort(target.Host)
	sh, sp, err2 := net.SplitHostPort(self.Host)
	if err1 != nil || err2 != nil || tp != sp || target.Scheme != self.Scheme {
		return false
	}
	norm := func(h string) string {
		if h == "localhost" {
			return "127.0.0.1"
		}
		return h
	}
	return norm(th) == norm(sh)
}
