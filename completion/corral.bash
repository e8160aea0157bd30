# bash completion for corral. Verbs, their options and the kind of each
# argument come from `corral help` and `corral VERB --help` (the command
# table); domain and network names from the engine, only when one answers,
# so that a TAB never starts an engine.

# Prints the names `corral ARGS --name` lists, if an engine serves the root.
_corral_names() {
	local root=${_corral_root:-${CORRAL_ROOT:-/}}
	root=${root%/}
	[ -S "$root/run/corral/corral.sock" ] || [ -S "$root/run/corral/corral-ro.sock" ] || return 0
	timeout 2 "${_corral_cmd[@]}" "$@" --name 2>/dev/null
}

_corral() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=""
	local i verb="" verb_at=0 w
	local -a _corral_cmd=("${COMP_WORDS[0]}")
	local _corral_root=""
	[ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()

	# Global options come before the verb.
	i=1
	while [ "$i" -lt "$COMP_CWORD" ]; do
		w=${COMP_WORDS[i]}
		case "$w" in
		--root | -c | --connect)
			[ "$w" = --root ] && _corral_root=${COMP_WORDS[i + 1]}
			_corral_cmd+=("$w" "${COMP_WORDS[i + 1]}")
			i=$((i + 2))
			;;
		--root=*)
			_corral_root=${w#--root=}
			_corral_cmd+=("$w")
			i=$((i + 1))
			;;
		-*) _corral_cmd+=("$w"); i=$((i + 1)) ;;
		*) verb=$w; verb_at=$i; break ;;
		esac
	done

	if [ -z "$verb" ]; then
		case "$prev" in
		--root) mapfile -t COMPREPLY < <(compgen -d -- "$cur"); return 0 ;;
		-c | --connect) return 0 ;;
		esac
		if [[ $cur == -* ]]; then
			mapfile -t COMPREPLY < <(compgen -W "--root --connect -c --debug --help --version" -- "$cur")
		else
			local verbs
			verbs=$("${_corral_cmd[@]}" help 2>/dev/null | awk '/^verbs:/ {on=1; next} on && /^  [a-z]/ {print $1}')
			mapfile -t COMPREPLY < <(compgen -W "$verbs" -- "$cur")
		fi
		return 0
	fi

	# The verb's options ("--name ARG" takes a value) and its synopsis.
	local help synopsis opts valued
	help=$("${_corral_cmd[@]}" "$verb" --help 2>/dev/null) || return 0
	synopsis=$(printf '%s\n' "$help" | sed -n "1s/^usage: corral $verb *//p")
	opts=$(printf '%s\n' "$help" | awk '/^options:/ {on=1; next} on && /^  --/ {print $1}')
	valued=$(printf '%s\n' "$help" | awk '/^options:/ {on=1; next} on && /^  --[^ ]+ [^ ]/ && $2 ~ /^[A-Z]/ {print $1}')

	# A value after an option: the choices the synopsis spells out (a|b).
	if [[ $prev == --* ]] && grep -qx -- "$prev" <<<"$valued"; then
		local choice
		choice=$(tr ' ' '\n' <<<"$synopsis" | grep -A1 -x -- "$prev" | sed -n 2p | tr -d '[]')
		if [[ $choice == *"|"* ]]; then
			mapfile -t COMPREPLY < <(compgen -W "${choice//|/ }" -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		fi
		return 0
	fi
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$opts --help" -- "$cur")
		return 0
	fi

	# Which positional argument this is, skipping options and their values.
	local n=0
	for ((i = verb_at + 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if [[ $w == --* ]]; then
			grep -qx -- "$w" <<<"$valued" && i=$((i + 1))
			continue
		fi
		n=$((n + 1))
	done
	local -a specs=()
	local skip=0
	for w in $synopsis; do
		if [ "$skip" = 1 ]; then skip=0; continue; fi
		case "$w" in
		--*) skip=1 ;;
		\[--*) ;;
		\[*\]) specs+=("${w:1:${#w}-2}") ;;
		*) specs+=("$w") ;;
		esac
	done
	local spec=${specs[n]:-}
	if [ -z "$spec" ] && [ "${#specs[@]}" -gt 0 ] && [[ ${specs[${#specs[@]} - 1]} == *... ]]; then
		spec=${specs[${#specs[@]} - 1]}
	fi
	case "$spec" in
	NAME)
		if [[ $verb == net-* ]]; then
			mapfile -t COMPREPLY < <(compgen -W "$(_corral_names net-list)" -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -W "$(_corral_names list --all)" -- "$cur")
		fi
		;;
	FILE*) mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
	DIR) mapfile -t COMPREPLY < <(compgen -d -- "$cur") ;;
	VERB)
		mapfile -t COMPREPLY < <(compgen -W "$("${_corral_cmd[@]}" help 2>/dev/null |
			awk '/^verbs:/ {on=1; next} on && /^  [a-z]/ {print $1}')" -- "$cur")
		;;
	[a-z]*) mapfile -t COMPREPLY < <(compgen -W "${spec//|/ }" -- "$cur") ;;
	esac
	return 0
}

complete -o filenames -F _corral corral
