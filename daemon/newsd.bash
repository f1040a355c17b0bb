# bash completion for newsd (installed as /usr/share/bash-completion/completions/newsd).

_newsd() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
  case $prev in
    -c | --config) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --db) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --log-level) COMPREPLY=($(compgen -W "trace debug info warn error off" -- "$cur")); return ;;
  esac
  local w
  for w in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    case $w in
      import) COMPREPLY=($(compgen -W "--db --config" -- "$cur"))
        [[ $cur != -* ]] && COMPREPLY=($(compgen -f -- "$cur")); return ;;
      reparse) COMPREPLY=($(compgen -W "--config --dry-run" -- "$cur")); return ;;
    esac
  done
  COMPREPLY=($(compgen -W "import reparse --config --once --check-config --log-level --time-scale --help --version" -- "$cur"))
}
complete -F _newsd newsd
