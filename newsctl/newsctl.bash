# bash completion for newsctl (installed as /usr/share/bash-completion/completions/newsctl).
# tests/integration/cli_docs_test.sh checks that every subcommand of `newsctl --help` is here.

_newsctl() {
  local cur prev words cword
  if declare -F _init_completion >/dev/null; then
    _init_completion || return
  else
    cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    words=("${COMP_WORDS[@]}") cword=$COMP_CWORD
  fi
  local globals="--socket --db --json --timeout --help --version"
  local commands="parse status feeds politeness stories search export dupes check reload reparse backup restore"
  case $prev in
    --socket) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --db) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --timeout) COMPREPLY=($(compgen -W "30s 60s 5m 0" -- "$cur")); return ;;
  esac
  # The subcommand is the first word after the global options (and their values).
  local i cmd= sub=
  for ((i = 1; i < cword; i++)); do
    case ${words[i]} in
      --socket | --db | --timeout) ((i++)) ;;
      -*) ;;
      *) if [[ -z $cmd ]]; then cmd=${words[i]}; elif [[ -z $sub ]]; then sub=${words[i]}; fi ;;
    esac
  done
  case $cmd in
    '') COMPREPLY=($(compgen -W "$commands $globals" -- "$cur")) ;;
    feeds) [[ -z $sub ]] && COMPREPLY=($(compgen -W "list show add remove pause resume poll import export" -- "$cur"))
      case $sub in
        add) COMPREPLY=($(compgen -W "--id --name --interval --paused --zoneless-dates" -- "$cur")) ;;
        import) COMPREPLY=($(compgen -W "--opml" -- "$cur"))
          [[ $cur != -* ]] && COMPREPLY+=($(compgen -f -- "$cur")) ;;
        export) COMPREPLY=($(compgen -W "--opml" -- "$cur")) ;;
      esac ;;
    search) COMPREPLY=($(compgen -W "--limit" -- "$cur")) ;;
    stories) if [[ -z $sub ]]; then COMPREPLY=($(compgen -W "recent show" -- "$cur"));
             elif [[ $sub == show ]]; then COMPREPLY=($(compgen -W "--text" -- "$cur")); fi
      [[ $sub == recent ]] && COMPREPLY=($(compgen -W "--limit" -- "$cur")) ;;
    dupes) [[ -z $sub ]] && COMPREPLY=($(compgen -W "explain" -- "$cur"))
      [[ $sub == explain ]] && COMPREPLY=($(compgen -W "--config" -- "$cur"))
      [[ $prev == --config ]] && COMPREPLY=($(compgen -f -- "$cur")) ;;
    parse) COMPREPLY=($(compgen -W "--content-type --base --content-language --zoneless-dates --json" -- "$cur"))
      [[ $cur != -* ]] && COMPREPLY=($(compgen -f -- "$cur")) ;;
    check) COMPREPLY=($(compgen -W "--title --source --published --config" -- "$cur"))
      [[ $cur != -* ]] && COMPREPLY=($(compgen -f -- "$cur")) ;;
    export) COMPREPLY=($(compgen -W "--format --since --cursor --follow" -- "$cur"))
      [[ $prev == --format ]] && COMPREPLY=(jsonl) ;;
    reload) COMPREPLY=($(compgen -W "--wait" -- "$cur")) ;;
    reparse) COMPREPLY=($(compgen -W "--dry-run" -- "$cur")) ;;
    backup | restore) COMPREPLY=($(compgen -d -- "$cur")) ;;
  esac
}
complete -F _newsctl newsctl
