#!/bin/sh
# make install into a staging directory, then a program built against the
# installed library with pkg-config, linked dynamically and statically, scans
# an image through the public API and gets the same packages as `lading sbom`.
# Also: the staged tree holds exactly the binary, the headers, the libraries
# and lading.pc, and the shared library's soname is liblading.so.0.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

t_need_lading
t_need_tool pkg-config cc jq make
t_tmpdir
REPO=$(cd "$(dirname "$0")/../.." && pwd)
# the build directory as the Makefile names it (relative), so that the
# objects' dependency files keep matching their targets
BUILD=$(dirname "$LADING")
case $BUILD in "$REPO"/*) BUILD=${BUILD#"$REPO"/} ;; esac
STAGE=$T_TMP/stage
make -s -C "$REPO" BUILD="$BUILD" install DESTDIR="$STAGE" PREFIX=/usr/local >"$T_TMP/install.log" 2>&1 ||
	t_fatal "make install failed: $(tail -5 "$T_TMP/install.log")"
for f in bin/lading include/lading/lading.h include/lading/export.h lib/liblading.a lib/liblading.so \
	lib/liblading.so.0 lib/pkgconfig/lading.pc; do
	[ -e "$STAGE/usr/local/$f" ] || t_fail "make install did not install $f"
done
soname=$(objdump -p "$STAGE/usr/local/lib/liblading.so.0" | awk '$1 == "SONAME" {print $2}')
[ "$soname" = liblading.so.0 ] || t_fail "soname is '$soname', want liblading.so.0"

cat >"$T_TMP/count.c" <<'C'
#include <stdio.h>
#include <lading/lading.h>
int main(int argc, char **argv)
{
	lading_ctx *ctx = NULL;
	lading_inventory *inv = NULL;
	if (argc != 2 || lading_ctx_new(&ctx, NULL) != 0)
		return 2;
	int rc = lading_sbom(&inv, ctx, argv[1]);
	if (rc) {
		fprintf(stderr, "%s\n", lading_ctx_error(ctx));
		return 1;
	}
	for (size_t i = 0; i < lading_inventory_npackages(inv); i++) {
		const lading_package *p = lading_inventory_package(inv, i);
		printf("%s\t%s\n", p->name, p->version);
	}
	lading_inventory_free(inv);
	lading_ctx_free(ctx);
	return 0;
}
C
export PKG_CONFIG_PATH=$STAGE/usr/local/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$STAGE
# shellcheck disable=SC2046
cc -o "$T_TMP/count-shared" "$T_TMP/count.c" $(pkg-config --cflags --libs lading) ||
	t_fatal "cannot build against the installed shared library"
# the static library with the system's shared libraries it needs (its
# Requires.private, without the staging root)
deps=$(sed -n 's/^Requires.private: //p' "$STAGE/usr/local/lib/pkgconfig/lading.pc")
# shellcheck disable=SC2046,SC2086
cc -o "$T_TMP/count-static" "$T_TMP/count.c" $(pkg-config --cflags lading) "$STAGE/usr/local/lib/liblading.a" \
	$(PKG_CONFIG_SYSROOT_DIR= PKG_CONFIG_PATH= pkg-config --libs $deps) -lpthread -ldl ||
	t_fatal "cannot build against the installed static library"
ldd "$T_TMP/count-static" | grep -q liblading && t_fail "the static build still needs liblading.so"

IMG=
FIX=${LADING_FIXTURES:-$REPO/.cache/fixtures}/bookworm/oci
if [ -d "$FIX" ]; then
	IMG="oci:$FIX:bookworm"
else
	t_corpus
	IMG=$T_CORPUS/images/alpine/alpine-minirootfs-3.20.3-x86_64.tar.gz
fi
"$LADING" sbom -q -f json "$IMG" | jq -r '.packages[] | [.name, .version] | @tsv' >"$T_TMP/want"
[ -s "$T_TMP/want" ] || t_fatal "lading sbom $IMG listed nothing"
LD_LIBRARY_PATH=$STAGE/usr/local/lib "$T_TMP/count-shared" "$IMG" >"$T_TMP/shared" || t_fail "the shared build failed"
"$T_TMP/count-static" "$IMG" >"$T_TMP/static" || t_fail "the static build failed"
t_compare "$T_TMP/want" "$T_TMP/shared" "packages through liblading.so" || true
t_compare "$T_TMP/want" "$T_TMP/static" "packages through liblading.a" || true
t_say "$(wc -l <"$T_TMP/want") packages through the installed shared and static libraries"
t_done
