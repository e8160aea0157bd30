#!/bin/sh
# Makes a man page from its template: the @VERBS@, @KEYS@ and @IGNORED@
# lines become what `corral help --man SECTION` prints, so the page says
# what the program does; @VERSION@, @DOCDIR@, @DATADIR@ are filled in.
set -eu
corral=$1 template=$2 out=$3 version=$4 docdir=$5 datadir=$6
tmp="$out.tmp"
: >"$tmp"
while IFS= read -r line; do
	case "$line" in
	@VERBS@) "$corral" help --man verbs >>"$tmp" ;;
	@KEYS@) "$corral" help --man keys >>"$tmp" ;;
	@IGNORED@) "$corral" help --man ignored >>"$tmp" ;;
	*) printf '%s\n' "$line" >>"$tmp" ;;
	esac
done <"$template"
sed -e "s|@VERSION@|$version|g" -e "s|@DOCDIR@|$docdir|g" -e "s|@DATADIR@|$datadir|g" "$tmp" >"$out"
rm -f "$tmp"
