// `jobdeck completion bash|zsh|fish`: a script made from the program's own commands and options,
// so it never drifts from what the parser accepts.
import type { Command } from 'commander';

interface Node {
  path: string[];
  subcommands: string[];
  options: string[];
}

function walk(cmd: Command, path: string[] = []): Node[] {
  const subs = cmd.commands.filter((c) => c.name() !== 'help');
  const options = cmd.options.flatMap((o) => [o.long, o.short].filter((x): x is string => Boolean(x)));
  return [{ path, subcommands: subs.map((c) => c.name()), options: [...options, '--help'] }, ...subs.flatMap((c) => walk(c, [...path, c.name()]))];
}

export function completionScript(program: Command, shell: string): string {
  const nodes = walk(program);
  const globals = nodes[0]!.options;
  const name = program.name();
  if (shell === 'bash' || shell === 'zsh') {
    const cases = nodes
      .map((n) => `    "${n.path.join(' ')}") words="${[...n.subcommands, ...n.options, ...(n.path.length ? globals : [])].join(' ')}" ;;`)
      .join('\n');
    const bash = `_${name}_complete() {
  local cur path w i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  path=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [[ "$w" == -* ]] && continue
    case " $(_${name}_subs "$path") " in *" $w "*) path="\${path:+$path }$w" ;; esac
  done
  local words=""
  case "$path" in
${cases}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
_${name}_subs() {
  case "$1" in
${nodes.map((n) => `    "${n.path.join(' ')}") echo "${n.subcommands.join(' ')}" ;;`).join('\n')}
  esac
}
complete -o default -F _${name}_complete ${name}
`;
    // zsh runs the bash function through bashcompinit.
    return shell === 'bash' ? bash : `#compdef ${name}\nautoload -U +X bashcompinit && bashcompinit\n${bash}`;
  }
  if (shell === 'fish') {
    const lines = [`complete -c ${name} -f`];
    for (const n of nodes) {
      const cond = n.path.length ? `__fish_seen_subcommand_from ${n.path.at(-1)}` : '__fish_use_subcommand';
      for (const s of n.subcommands) lines.push(`complete -c ${name} -n '${cond}' -a ${s}`);
      for (const o of n.options.filter((x) => x.startsWith('--'))) lines.push(`complete -c ${name} -n '${n.path.length ? cond : 'true'}' -l ${o.slice(2)}`);
    }
    return `${lines.join('\n')}\n`;
  }
  throw new Error(shell);
}
