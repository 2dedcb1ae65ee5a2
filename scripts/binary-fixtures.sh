#!/bin/sh
# Builds and downloads the real binaries the binary cataloger's tests read
# (tests/unit/test_binaries.c, tests/cli/go_binaries.sh) into OUTDIR:
#
#   deb/usr/bin/age, age-keygen  Debian bookworm's `age` (Go, GOPATH build: no modules)
#   npm/lefthook                 npm lefthook-linux-x64@2.2.2 (Go 1.27, modules)
#   npm/esbuild                  npm @esbuild/linux-x64@0.28.2 (Go, built without build info)
#   go/hello-amd64               a tiny module built here with Debian's golang-go: one
#   go/hello-amd64-trimpath      vendored dependency (golang.org/x/mod from Debian's
#   go/hello-386                 golang-golang-x-mod-dev, replaced by a module version so
#   go/hello-s390x               that the build info has a "=>" line), for amd64 (normal
#   go/hello-mips                and -trimpath), 386 (32-bit) and s390x / mips (big-endian)
#   go/hello-nomod               a GOPATH-mode build (no module info at all)
#   rust/auditable               a tiny crate built here with cargo, with a .dep-v0
#                                section added by objcopy from a JSON written here: a
#                                HAND-MADE stand-in for cargo-auditable, which is not
#                                installed (and crates.io is not reachable)
#   rust/plain                   the same binary without the section
#   rust/auditable.json          the JSON that went into the section
#
# Every step is independent: one that cannot run (no network, no tool) prints
# "binary-fixtures: SKIP <what>: <why>" and leaves its files out; the tests
# skip visibly what is missing. Network: Debian's archive and the npm registry.
set -u
OUT=${1:?usage: binary-fixtures.sh OUTDIR}
mkdir -p "$OUT/deb" "$OUT/npm" "$OUT/go" "$OUT/rust"
OUT=$(cd "$OUT" && pwd)
TMP=$(mktemp -d)
trap 'chmod -R u+w "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT
skip() { echo "binary-fixtures: SKIP $1: $2" >&2; }

# ---- Debian: age --------------------------------------------------------------
if [ ! -x "$OUT/deb/usr/bin/age" ]; then
	if command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null; then
		(cd "$TMP" && timeout 120 apt-get download age >/dev/null 2>&1) &&
			dpkg-deb -x "$TMP"/age_*.deb "$OUT/deb" || skip "deb/age" "apt-get download age failed"
	else
		skip "deb/age" "apt-get or dpkg-deb missing"
	fi
fi

# ---- npm: lefthook and esbuild ------------------------------------------------
npm_bin() { # SPEC FILE-IN-PACKAGE NAME
	[ -x "$OUT/npm/$3" ] && return 0
	if ! command -v npm >/dev/null; then
		skip "npm/$3" "npm missing"
		return 0
	fi
	d=$TMP/npm-$3
	mkdir -p "$d"
	if (cd "$d" && timeout 180 npm pack --silent "$1" >/dev/null 2>&1) && tar -C "$d" -xzf "$d"/*.tgz &&
		[ -f "$d/package/$2" ]; then
		cp "$d/package/$2" "$OUT/npm/$3" && chmod 755 "$OUT/npm/$3"
	else
		skip "npm/$3" "npm pack $1 failed"
	fi
}
npm_bin lefthook-linux-x64@2.2.2 bin/lefthook lefthook
npm_bin @esbuild/linux-x64@0.28.2 bin/esbuild esbuild

# ---- Go: a tiny module built here ---------------------------------------------
XMOD=/usr/share/gocode/src/golang.org/x/mod
if [ ! -x "$OUT/go/hello-amd64" ]; then
	if ! command -v go >/dev/null; then
		skip "go/*" "go (Debian golang-go) missing"
	elif [ ! -f "$XMOD/semver/semver.go" ]; then
		skip "go/*" "golang-golang-x-mod-dev missing ($XMOD)"
	else
		m=$TMP/hello
		mkdir -p "$m/vendor/golang.org/x/mod/semver"
		cp "$XMOD/semver/semver.go" "$m/vendor/golang.org/x/mod/semver/"
		cat >"$m/go.mod" <<-'EOF'
		module example.com/lading/hello

		go 1.19

		require golang.org/x/mod v0.6.0

		replace golang.org/x/mod v0.6.0 => golang.org/x/mod v0.7.0
		EOF
		cat >"$m/vendor/modules.txt" <<-'EOF'
		# golang.org/x/mod v0.6.0 => golang.org/x/mod v0.7.0
		## explicit; go 1.17
		golang.org/x/mod/semver
		EOF
		cat >"$m/main.go" <<-'EOF'
		package main

		import (
			"fmt"

			"golang.org/x/mod/semver"
		)

		func main() { fmt.Println(semver.Compare("v1.2.3", "v1.10.0")) }
		EOF
		gob() { # NAME GOARCH [FLAGS]
			n=$1 a=$2
			shift 2
			(cd "$m" && GOFLAGS=-mod=vendor GOPROXY=off GO111MODULE=on CGO_ENABLED=0 GOOS=linux GOARCH=$a \
				GOCACHE="${GOCACHE:-$TMP/gocache}" go build -buildvcs=false "$@" -o "$OUT/go/$n" . \
				>"$TMP/go-$n.log" 2>&1) || { skip "go/$n" "go build failed: $(head -3 "$TMP/go-$n.log")"; }
		}
		gob hello-amd64 amd64
		gob hello-amd64-trimpath amd64 -trimpath
		gob hello-386 386
		gob hello-s390x s390x
		gob hello-mips mips
		# GOPATH mode: build info with a Go version but no module lines
		g=$TMP/gopath/src/hello
		mkdir -p "$g"
		printf 'package main\n\nfunc main() { println("hi") }\n' >"$g/main.go"
		(cd "$g" && GO111MODULE=off GOPATH=$TMP/gopath GOCACHE="${GOCACHE:-$TMP/gocache}" CGO_ENABLED=0 \
			go build -o "$OUT/go/hello-nomod" . >"$TMP/go-nomod.log" 2>&1) ||
			skip "go/hello-nomod" "go build failed"
	fi
fi

# ---- Rust: a tiny crate with a hand-made .dep-v0 section ------------------------
CARGO=$(command -v cargo || echo "$HOME/.cargo/bin/cargo")
if [ ! -x "$OUT/rust/auditable" ]; then
	missing=""
	[ -x "$CARGO" ] || missing="cargo (optional, not installed by scripts/setup.sh: Debian's cargo or rustup)"
	command -v objcopy >/dev/null || missing="$missing${missing:+, }objcopy (binutils)"
	command -v python3 >/dev/null || missing="$missing${missing:+, }python3"
	if [ -n "$missing" ]; then
		skip "rust/*" "missing: $missing"
	else
		c=$TMP/crate
		mkdir -p "$c/src"
		printf '[package]\nname = "lading-hello"\nversion = "0.3.1"\nedition = "2021"\n' >"$c/Cargo.toml"
		printf 'fn main() { println!("hi"); }\n' >"$c/src/main.rs"
		if (cd "$c" && CARGO_TARGET_DIR=$TMP/target timeout 300 "$CARGO" build --offline --release -q \
			>"$TMP/cargo.log" 2>&1); then
			cp "$TMP/target/release/lading-hello" "$OUT/rust/plain"
			# The shape cargo-auditable writes: crates sorted by name, dependencies
			# as indexes, "kind" only for build-only crates, "root" on the root.
			cat >"$OUT/rust/auditable.json" <<-'EOF'
			{"packages":[{"name":"cc","version":"1.0.79","source":"crates.io","kind":"build"},{"name":"lading-hello","version":"0.3.1","source":"local","dependencies":[3,4],"root":true},{"name":"libc","version":"0.2.139","source":"crates.io"},{"name":"regex","version":"1.5.4","source":"crates.io","dependencies":[2,4]},{"name":"smallvec","version":"1.6.0","source":"crates.io","dependencies":[0]}]}
			EOF
			python3 -c 'import sys, zlib; sys.stdout.buffer.write(zlib.compress(open(sys.argv[1], "rb").read().strip(), 9))' \
				"$OUT/rust/auditable.json" >"$TMP/dep-v0.zz" &&
				objcopy --add-section .dep-v0="$TMP/dep-v0.zz" --set-section-flags .dep-v0=noload,readonly \
					"$OUT/rust/plain" "$OUT/rust/auditable" || skip "rust/auditable" "objcopy failed"
		else
			skip "rust/*" "cargo build failed: $(head -3 "$TMP/cargo.log")"
		fi
	fi
fi
exit 0
