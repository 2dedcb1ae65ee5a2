#!/bin/sh
# Go module versions: lading's comparator against golang.org/x/mod/semver
# (Debian's golang-golang-x-mod-dev, built offline in GOPATH mode with
# Debian's Go), one process for every pair: 12,000 generated pairs plus the
# Go OSV feed's versions and the corpus's go.sum / Go binary versions when
# present; then the feed's ranges (introduced < fixed).
# The reference program adds what x/mod leaves to its callers and lading does
# too: a missing 'v' (OSV drops it) and Go toolchain tags ("go1.21rc2"),
# mapped with a copy of x/vuln's GoTagToSemver. That mapping is ours to
# check by hand (tests/unit/test_version_lang.c); x/mod decides the order.
. "$(dirname "$0")/lib.sh"

t_need_tool python3
command -v go >/dev/null 2>&1 || t_skip "go is not installed (Debian package golang-go)"
gopath=/usr/share/gocode
[ -f "$gopath/src/golang.org/x/mod/semver/semver.go" ] ||
	t_skip "golang.org/x/mod is not installed (Debian package golang-golang-x-mod-dev)"
[ -x "${LADING_TOOLS:-}/vercmp" ] || t_fatal "LADING_TOOLS must name the directory holding the built vercmp"
t_tmpdir

mkdir -p "$T_TMP/oracle"
cat >"$T_TMP/oracle/main.go" <<'GO'
// "A<TAB>B" lines in, semver.Compare's -1/0/1 out, or ERR when either side is
// not valid (x/mod itself would sort an invalid version first).
package main

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"regexp"
	"strings"

	"golang.org/x/mod/semver"
)

var tagRegexp = regexp.MustCompile(`^go(\d+\.\d+)(\.\d+|)((beta|rc|-pre)(\d+))?$`)

// golang.org/x/vuln/internal/semver.GoTagToSemver.
func goTagToSemver(tag string) string {
	f := strings.Fields(tag)
	if len(f) == 0 {
		return ""
	}
	tag = f[0]
	if tag == "go1" {
		return "v1.0.0"
	}
	if tag == "go1.0" {
		return ""
	}
	m := tagRegexp.FindStringSubmatch(tag)
	if m == nil {
		return ""
	}
	version := "v" + m[1]
	if m[2] != "" {
		version += m[2]
	} else {
		version += ".0"
	}
	if m[3] != "" {
		if !strings.HasPrefix(m[4], "-") {
			version += "-"
		}
		version += m[4] + "." + m[5]
	}
	return version
}

func canon(s string) string {
	if strings.HasPrefix(s, "go") {
		return goTagToSemver(s)
	}
	if strings.HasPrefix(s, "v") {
		return s
	}
	if semver.IsValid("v" + s) {
		return "v" + s
	}
	// lading's extension: a bare Go tag ("1.21rc2"), whole.
	if s == "" || strings.ContainsAny(s, " \t\n\v\f\r") {
		return ""
	}
	return goTagToSemver("go" + s)
}

func main() {
	in, _ := io.ReadAll(os.Stdin)
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	lines := bytes.Split(in, []byte("\n"))
	for _, line := range lines[:len(lines)-1] {
		a, b, ok := strings.Cut(string(line), "\t")
		ca, cb := canon(a), canon(b)
		if !ok || !semver.IsValid(ca) || !semver.IsValid(cb) {
			w.WriteString("ERR\n")
			continue
		}
		switch semver.Compare(ca, cb) {
		case -1:
			w.WriteString("-1\n")
		case 0:
			w.WriteString("0\n")
		default:
			w.WriteString("1\n")
		}
	}
}
GO
# GOPATH mode against Debian's source tree: no module download, no network.
(cd "$T_TMP/oracle" && GO111MODULE=off GOPATH=$gopath GOCACHE="$T_TMP/gocache" GOFLAGS= GOPROXY=off \
	go build -o "$T_TMP/go-oracle" main.go) || t_fatal "could not build the Go reference program"
t_say "reference: $(go version | cut -d' ' -f3) with golang.org/x/mod from $gopath"

corpus=${LADING_CORPUS:-$(pwd)/../shared/corpus}
if [ -d "$corpus" ]; then set -- --corpus "$corpus"; else t_say "corpus not found at $corpus: generated pairs only"; set --; fi
python3 tests/cli/gen_versions_lang.py run --scheme go --vercmp "$LADING_TOOLS/vercmp" --tmp "$T_TMP" "$@" \
	-- "$T_TMP/go-oracle" || t_fail "vercmp go disagrees with x/mod/semver (above)"
t_done
