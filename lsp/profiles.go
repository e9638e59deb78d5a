package lsp

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/heapprofile"
	// Renamed: this package's units function counts characters.
	byteunits "github.com/leakls/leakls/internal/units"
	"github.com/leakls/leakls/srcloc"
)

// profileQuiet is how long the workspace's allocation profiles must stay
// unchanged before the newest is read: node --heap-prof writes a large
// profile in several writes when the program exits.
const profileQuiet = 400 * time.Millisecond

// refreshTimeout bounds the wait for the client's answer to
// workspace/codeLens/refresh.
const refreshTimeout = 2 * time.Second

// minSitePercent is the share of a profile's sampled bytes a function must
// have allocated itself to be shown in the editor: below it, a line would
// carry the noise of a sample or two.
const minSitePercent = 1.0

// profileState is the server's allocation-profile evidence: the newest
// .heapprofile in the workspace, its functions placed in the sources. The
// fields other than load are guarded by Server.mu.
type profileState struct {
	load  sync.Mutex         // serialises the reading of profiles
	known map[string]bool    // the profiles seen in the workspace; some may be gone
	timer *time.Timer        // pending quiet period
	shown *allocationProfile // nil when no profile is shown
}

// allocationProfile is one profile as read, with its sites by file.
type allocationProfile struct {
	name   string // the file's base name
	sig    string // its path, size and modification time
	report *heapprofile.Report
	sites  map[string][]heapprofile.Site // by file key: the sites at or above minSitePercent
}

// sampled says how much the profile holds: "15.7 MiB sampled in 3568
// samples" (the sample count when the file lists them).
func (p *allocationProfile) sampled() string {
	s := byteunits.Bytes(p.report.Total) + " sampled"
	if n := p.report.Samples; n > 0 {
		s += fmt.Sprintf(" in %d samples", n)
	}
	return s
}

// count is the number of sites shown.
func (p *allocationProfile) count() int {
	n := 0
	for _, sites := range p.sites {
		n += len(sites)
	}
	return n
}

// sitesIn returns the profile's sites in the file at key; nil for no
// profile.
func (p *allocationProfile) sitesIn(key string) []heapprofile.Site {
	if p == nil {
		return nil
	}
	return p.sites[key]
}

// profileChanged notes a change to an allocation profile on disk; the
// newest profile is read once the profiles have been quiet for a moment.
func (s *Server) profileChanged(path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.prof.known[path] = true
	if s.prof.timer != nil {
		s.prof.timer.Stop()
	}
	s.prof.timer = time.AfterFunc(profileQuiet, func() { s.goBackground(s.showNewestProfile) })
}

// showNewestProfile reads the most recently written profile of the
// workspace, unless it is the one shown, or drops the profile shown when
// none is left, and asks the client to fetch its code lenses again. The
// newest profile is of the run just made, the one a user looks at; older
// ones are for `leakls profile`.
func (s *Server) showNewestProfile() {
	s.prof.load.Lock()
	defer s.prof.load.Unlock()
	s.mu.Lock()
	paths := slices.Collect(maps.Keys(s.prof.known))
	root, shown := s.root, s.prof.shown
	s.mu.Unlock()

	path, sig, gone := newestProfile(paths)
	s.mu.Lock()
	for _, p := range gone {
		delete(s.prof.known, p)
	}
	s.mu.Unlock()
	if (shown == nil && path == "") || (shown != nil && shown.sig == sig) {
		return
	}
	var next *allocationProfile
	if path != "" {
		rep, err := heapprofile.ReadFile(path, heapprofile.Options{Resolver: srcloc.NewResolver(root)})
		if err != nil {
			was := "no profile"
			if shown != nil {
				was = shown.name
			}
			s.logf(protocol.MessageTypeWarning, "allocation profile: %v; the editor keeps showing %s (node --heap-prof writes a complete profile when the program exits normally)", err, was)
			return
		}
		next = newAllocationProfile(path, sig, rep)
	}
	s.mu.Lock()
	s.prof.shown = next
	s.mu.Unlock()
	s.refreshCodeLenses()
	if next == nil {
		s.logf(protocol.MessageTypeInfo, "allocation profile: none left in the workspace")
		return
	}
	s.logf(protocol.MessageTypeInfo, "allocation profile %s: %s; %d functions in %d files allocated %.0f%% or more of it",
		path, next.sampled(), next.count(), len(next.sites), minSitePercent)
}

// refreshCodeLenses asks the client to fetch the code lenses of its
// documents again, when it can.
func (s *Server) refreshCodeLenses() {
	s.mu.Lock()
	supported := s.client.lensRefresh
	s.mu.Unlock()
	if !supported {
		return
	}
	if err := s.clientCall(s.ctx, refreshTimeout, protocol.MethodWorkspaceCodeLensRefresh, nil, nil); err != nil && s.ctx.Err() == nil {
		s.logf(protocol.MessageTypeWarning, "%s: %v; the code lenses change when the editor asks for them again", protocol.MethodWorkspaceCodeLensRefresh, err)
	}
}

// newestProfile returns the most recently modified of the profiles at
// paths with its signature, and the paths that are gone. Empty files (a
// profile being created) do not count.
func newestProfile(paths []string) (newest, sig string, gone []string) {
	var when time.Time
	for _, p := range paths {
		info, err := os.Stat(p)
		switch {
		case err != nil:
			gone = append(gone, p)
			continue
		case !info.Mode().IsRegular() || info.Size() == 0:
			continue
		}
		if t := info.ModTime(); newest == "" || t.After(when) || (t.Equal(when) && p > newest) {
			newest, when = p, t
			sig = fmt.Sprintf("%s\x00%d\x00%d", p, info.Size(), t.UnixNano())
		}
	}
	return newest, sig, gone
}

// newAllocationProfile indexes the sites of a report by the file they
// are placed in.
func newAllocationProfile(path, sig string, rep *heapprofile.Report) *allocationProfile {
	p := &allocationProfile{name: filepath.Base(path), sig: sig, report: rep, sites: make(map[string][]heapprofile.Site)}
	for _, site := range rep.Sites {
		if site.Place == nil || site.SelfPercent < minSitePercent || !filepath.IsAbs(site.Place.Location.File) {
			continue
		}
		key := filepath.Clean(site.Place.Location.File)
		p.sites[key] = append(p.sites[key], site)
	}
	return p
}

// siteRange is the position of a site's function in doc, in the client's
// encoding: where V8 says the function starts.
func siteRange(doc *document, site heapprofile.Site, enc encoding) protocol.Range {
	return doc.lines.protocolRange(doc.text, site.Place.Location.Range, enc)
}

// share formats bytes with their share of the profile: "9.8 MiB (62.3%)".
func share(bytes uint64, percent float64) string {
	return fmt.Sprintf("%s (%.1f%%)", byteunits.Bytes(bytes), percent)
}
