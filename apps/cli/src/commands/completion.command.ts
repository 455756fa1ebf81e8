import { Command } from 'commander';

/** Every command path (`""`, `"admin"`, `"admin init"`, ...) with the words that may follow it. */
export function completionTable(program: Command): Map<string, string[]> {
  const table = new Map<string, string[]>();
  const visit = (cmd: Command, path: string): void => {
    const subcommands = cmd.commands.map((c) => c.name());
    const options = cmd.options.map((o) => o.long).filter((l): l is string => l !== undefined);
    table.set(path, [...subcommands, ...options, '--help']);
    for (const sub of cmd.commands) visit(sub, path === '' ? sub.name() : `${path} ${sub.name()}`);
  };
  visit(program, '');
  return table;
}

/**
 * A bash completion function generated from the command tree, so it never falls behind the commands. Words
 * that are not a known subcommand (option values, file names) are skipped when finding where the cursor
 * is; where nothing matches, bash completes file names (`-o default`).
 */
export function bashCompletion(program: Command): string {
  const cases = [...completionTable(program)]
    .map(([path, words]) => `    ${JSON.stringify(path)}) echo ${JSON.stringify(words.join(' '))} ;;`)
    .join('\n');
  return `# bash completion for accord. Load it with:  source <(accord completion bash)
_accord_words() {
  case "$1" in
${cases}
    *) return 1 ;;
  esac
}
_accord() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" word i
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    case "$word" in -*) continue ;; esac
    if _accord_words "\${path:+$path }$word" >/dev/null; then path="\${path:+$path }$word"; fi
  done
  COMPREPLY=($(compgen -W "$(_accord_words "$path")" -- "$cur"))
}
complete -o default -F _accord accord
`;
}

/** zsh runs the same function through its bash-completion layer (bashcompinit). */
export function zshCompletion(program: Command): string {
  return `#compdef accord
# zsh completion for accord. Load it with:  source <(accord completion zsh)
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(program).split('\n').slice(1).join('\n')}`;
}

/** `accord completion bash|zsh`: prints a completion script for the shell. */
export function completionCommand(): Command {
  return new Command('completion')
    .description('print a shell completion script: source <(accord completion bash)')
    .argument('<shell>', 'bash or zsh')
    .action((shell: string, _opts: unknown, cmd: Command) => {
      const program = cmd.parent!;
      if (shell === 'bash') return void process.stdout.write(bashCompletion(program));
      if (shell === 'zsh') return void process.stdout.write(zshCompletion(program));
      cmd.error(`error: shell must be bash or zsh (got "${shell}")`, { exitCode: 2, code: 'accord.usage' });
    });
}
