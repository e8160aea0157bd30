#!/bin/sh
# Installs the Debian packages corral builds and tests with, only those
# missing, so that a machine that has them all is never touched.
set -eu

PACKAGES="gcc make pkg-config
libncurses-dev libnl-3-dev libnl-route-3-dev libselinux1-dev libxml2-dev
libvterm-dev libjansson-dev libcriterion-dev clang
bats tmux busybox-static iproute2 util-linux procps psmisc
libcrypt-dev debootstrap man-db groff-base
libsepol-dev libpcre2-dev"

missing=""
for p in $PACKAGES; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$status" in
	"install ok installed") ;;
	*) missing="$missing $p" ;;
	esac
done

[ -z "$missing" ] && exit 0

echo "deps: installing$missing"
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: need root to install$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
