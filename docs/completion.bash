# bash completion for pilotsim, installed by `make install` as
# PREFIX/share/bash-completion/completions/pilotsim.
#
# The commands and each command's options are read, when completing, from
# the help texts of the pilotsim being completed (`pilotsim --help`,
# `pilotsim COMMAND --help`: the names of their items), so the completion
# cannot drift from the binary. Scenarios complete as *.yaml files (and
# directories on the way to them), -o and a DIR as directories.

# _pilotsim_items BIN [COMMAND]: the names of the help text's items, one
# word a line ("-o," "--output" "DIR" ...): lines indented two to six
# spaces, up to the first run of two spaces.
_pilotsim_items() {
    "$@" --help 2>/dev/null | awk '
        /^  [ ]?[ ]?[ ]?[ ]?[^ ]/ {
            s = $0; sub(/^ +/, "", s)
            gap = index(s, "  "); if (gap) s = substr(s, 1, gap - 1)
            gsub(/[,:\/]/, " ", s); n = split(s, w, " ")
            for (i = 1; i <= n; i++) print w[i]
        }'
}

_pilotsim() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    local bin=${COMP_WORDS[0]} cmd="" i
    COMPREPLY=()
    # The command: the first word after the program that is no option.
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
            -*) ;;
            *) cmd=${COMP_WORDS[i]}; break ;;
        esac
    done
    if [[ -z $cmd ]]; then
        local cmds
        cmds=$("$bin" --help 2>/dev/null | awk '/^commands:/ { on = 1; next }
            on && /^[^ ]/ { on = 0 } on && /^  [a-z]/ { print $1 }')
        mapfile -t COMPREPLY < <(compgen -W "$cmds --help --version" -- "$cur")
        return 0
    fi
    local items
    items=$(_pilotsim_items "$bin" "$cmd")
    # The value an option wants: the word after it in the help (DIR, FILE...).
    # (after a short option, its long alias first: "-o, --output DIR").
    local want=""
    if [[ $prev == -* ]]; then
        want=$(printf '%s\n' "$items" | awk -v o="$prev" '
            n == 1 && o !~ /^--/ && $0 ~ /^--/ { n = 2; next }
            n { if ($0 !~ /^-/) print; exit }
            $0 == o { n = 1 }')
    fi
    case $want in
        "") ;;
        DIR) compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -d -- "$cur"); return 0 ;;
        FILE) compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -f -- "$cur"); return 0 ;;
        *) return 0 ;; # a number, a key: nothing to propose
    esac
    if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$(printf '%s\n' "$items" | grep -- '^-')" -- "$cur")
        return 0
    fi
    compopt -o filenames 2>/dev/null
    case $cmd in
        plot | report) mapfile -t COMPREPLY < <(compgen -d -- "$cur") ;;
        bench) mapfile -t COMPREPLY < <(compgen -W phold -- "$cur") ;;
        *) mapfile -t COMPREPLY < <(compgen -f -X '!*.yaml' -- "$cur"; compgen -d -- "$cur") ;;
    esac
    return 0
}

complete -F _pilotsim pilotsim
