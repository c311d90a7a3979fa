#!/usr/bin/env bash
# Makes the two base images the Dockerfile builds on, from Debian's packages and the JDK on
# this machine, for engines that cannot pull from a registry (an offline CI machine):
#
#   sse-gateway-base/jdk:25   Debian bookworm (minbase) + this machine's Temurin 25 JDK
#   sse-gateway-base/jre:25   Debian bookworm (minbase) + a Java 25 runtime made by jlink
#
#   deploy/base-images.sh            # make whichever is missing (an existing tag is kept)
#   REBUILD=1 deploy/base-images.sh  # make both again
#
# Environment: JDK25 (default /usr/lib/jvm/temurin-25-jdk-amd64), SUITE (bookworm), MIRROR
# (Debian's default mirror), CACHE (where the bootstrapped root file system is kept between runs).
# Needs root, debootstrap and a Docker engine the docker client reaches.
set -euo pipefail

JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
SUITE=${SUITE:-bookworm}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
CACHE=${CACHE:-/var/cache/sse-gateway-base}
JDK_TAG=sse-gateway-base/jdk:25
JRE_TAG=sse-gateway-base/jre:25

# What the images need beyond minbase: bash for the training run, wget for health checks (the
# public Temurin images have it too), passwd for useradd, CA certificates for Maven Central.
PACKAGES=passwd,wget,ca-certificates

# The modules of Temurin's own JRE image minus the desktop: what Micronaut, Netty, Lettuce and
# JFR need at run time, without javac and the other development tools.
JRE_MODULES=java.base,java.compiler,java.instrument,java.logging,java.management,java.management.rmi,java.naming,java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,java.xml.crypto,jdk.crypto.cryptoki,jdk.crypto.ec,jdk.jfr,jdk.localedata,jdk.management,jdk.management.agent,jdk.management.jfr,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs

have() { [[ -z "${REBUILD:-}" ]] && docker image inspect "$1" > /dev/null 2>&1; }

if have "$JDK_TAG" && have "$JRE_TAG"; then
  echo "base-images: $JDK_TAG and $JRE_TAG exist (REBUILD=1 makes them again)"
  exit 0
fi

[[ -x "$JDK25/bin/java" ]] || { echo "base-images: no JDK 25 at $JDK25 (set JDK25)" >&2; exit 1; }
command -v debootstrap > /dev/null || { echo "base-images: debootstrap is not installed (apt-get install debootstrap)" >&2; exit 1; }

rootfs=$CACHE/$SUITE-minbase
if [[ ! -x "$rootfs/bin/bash" ]]; then
  rm -rf "$rootfs"
  mkdir -p "$CACHE"
  echo "base-images: debootstrap $SUITE into $rootfs"
  debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$rootfs" "$MIRROR" > "$CACHE/debootstrap.log" 2>&1 \
    || { echo "base-images: debootstrap failed, see $CACHE/debootstrap.log" >&2; rm -rf "$rootfs"; exit 1; }
  # Nothing the images need: keeps the layer small.
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/*
fi

# Imports the root file system plus a Java at /opt/java/openjdk (where the public Temurin
# images keep it) as image $1; $2 is the directory holding that Java.
import_with_java() {
  local tag=$1 java=$2 work
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  mkdir -p "$work/opt/java"
  cp -a "$java" "$work/opt/java/openjdk"
  tar -C "$rootfs" -c . | tar -C "$work" -x
  tar -C "$work" -c . | docker import \
    --change 'ENV JAVA_HOME=/opt/java/openjdk' \
    --change 'ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["bash"]' \
    - "$tag" > /dev/null
  echo "base-images: made $tag ($("$java/bin/java" -version 2>&1 | head -1))"
}

if ! have "$JDK_TAG"; then
  import_with_java "$JDK_TAG" "$JDK25"
fi
if ! have "$JRE_TAG"; then
  jre=$(mktemp -d)/jre
  "$JDK25/bin/jlink" --add-modules "$JRE_MODULES" --strip-debug --no-man-pages --no-header-files --output "$jre"
  # The JDK's default class-data archive, which jlink leaves out: the JVM maps it at every start.
  "$jre/bin/java" -Xshare:dump > /dev/null
  import_with_java "$JRE_TAG" "$jre"
  rm -rf "$(dirname "$jre")"
fi
