#!/usr/bin/env bash
# Builds the root file system of the self-contained base of the PlayConnect image, for Jib's
# `from.image = scratch` (Maven profile `image`, see docs/operations.md "Container image"):
#   OUT/opt/java   a Java runtime made with jlink from the JDK that runs the build
#   OUT/lib*, OUT/usr/lib*   the shared libraries that runtime links against, copied from this machine
#   OUT/etc        passwd/group with the non-root user 65532, nsswitch.conf
#   OUT/tmp        scratch space (mounted as an emptyDir in Kubernetes)
# Nothing is downloaded: on a machine without a registry this is how the image gets a JVM.
# Production images use a maintained base instead (profile `image-temurin`).
set -euo pipefail

out="${1:?usage: runtime.sh OUT_DIR [JAVA_HOME]}"
java_home="${2:-${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}}"
# What `jdeps --print-module-deps` finds in the server's jar, plus what is only loaded by name:
# EC for TLS to NATS or Redis, DNS naming, zip file systems.
modules="java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,\
java.net.http,java.scripting,java.sql,java.xml,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.naming.dns,jdk.net,\
jdk.unsupported,jdk.zipfs"

rm -rf "$out"
mkdir -p "$out/opt" "$out/etc" "$out/tmp"
"$java_home/bin/jlink" --module-path "$java_home/jmods" --add-modules "$modules" \
  --strip-debug --no-man-pages --no-header-files --compress=2 --output "$out/opt/java"

# Debian's JDK points some runtime files at the system (symbolic links): copy what they point to.
find "$out/opt/java" -type l | while read -r link; do
  target="$(readlink -f "$link")"
  rm "$link"
  if [[ -e "$target" ]]; then cp -L "$target" "$link"; fi
done

# Shared libraries: everything ldd names for the launcher and the runtime's own libraries,
# with the dynamic loader, at the same paths as on this machine. The server is headless: the
# desktop module is there for java.beans, and its AWT, font, image and sound libraries (which
# would pull in X11) are left out.
desktop='lib(awt|awt_xawt|awt_headless|jawt|splashscreen|fontmanager|lcms|jsound|javajpeg|mlib_image)\.so$'
find "$out/opt/java/lib" -name '*.so' | grep -E "$desktop" | xargs rm -f
{
  ldd "$out/opt/java/bin/java"
  find "$out/opt/java/lib" -name '*.so' -exec ldd {} \;
} | grep -oE '/[^ ]+\.so[^ ]*' | sort -u | while read -r lib; do
  [[ "$lib" == "$out"* ]] && continue
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
done
# The loader's well-known path may be a symbolic link on the host (/lib64 -> /usr/lib64 and so on).
for loader in /lib64/ld-linux-x86-64.so.2 /lib/ld-linux-aarch64.so.1; do
  if [[ -e "$loader" && ! -e "$out$loader" ]]; then
    mkdir -p "$out$(dirname "$loader")"
    cp -L "$loader" "$out$loader"
  fi
done

printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/tmp:/sbin/nologin\n' >"$out/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' >"$out/etc/group"
printf 'hosts: files dns\n' >"$out/etc/nsswitch.conf"
echo "runtime.sh: $(du -sh "$out" | cut -f1) in $out (JDK $("$out/opt/java/bin/java" -version 2>&1 | head -1))"
