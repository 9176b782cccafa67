// Shell completion scripts for bash, zsh and fish, generated from the command/option table
// (cli/spec.ts) and the codes of the loaded catalog, so they never fall out of date with the CLI.

import { COLOR_CHOICES, COMMANDS, FORMATS, GLOBAL_OPTIONS, LANG_CHOICES, SHELLS, type OptionSpec } from './cli/spec.js';

export type Shell = (typeof SHELLS)[number];

export interface CompletionData {
  codes: readonly string[];
  families: readonly string[];
}

const VALUE_CHOICES: Record<string, readonly string[]> = {
  format: FORMATS,
  lang: LANG_CHOICES,
  color: COLOR_CHOICES,
};

function flags(o: OptionSpec): string[] {
  return [`--${o.long}`, ...(o.short ? [`-${o.short}`] : [])];
}

const ALWAYS = [
  { long: 'help', short: 'h', description: 'show help' },
  { long: 'version', short: 'V', description: 'show versions and code counts' },
] as const;

// Words are embedded in shell source: keep only characters that need no quoting.
const safe = (w: string) => /^[A-Za-z0-9._\-+/:=]+$/.test(w);

function bash(d: CompletionData): string {
  const global = [...GLOBAL_OPTIONS.flatMap(flags), '--help', '-h', '--version', '-V'].join(' ');
  const perCommand = COMMANDS.map((c) => `    ${c.name}) opts="$opts ${c.options.flatMap(flags).join(' ')}" ;;`).join('\n');
  const valued = [...GLOBAL_OPTIONS, ...COMMANDS.flatMap((c) => c.options)].filter((o) => o.value);
  const valueCases = [...new Map(valued.map((o) => [o.long, o])).values()]
    .map((o) => {
      const choices = VALUE_CHOICES[o.long];
      if (choices) return `    --${o.long}) COMPREPLY=($(compgen -W "${choices.join(' ')}" -- "$cur")); return ;;`;
      if (o.long === 'catalog') return `    --${o.long}) COMPREPLY=($(compgen -f -- "$cur")); return ;;`;
      if (o.long === 'family') return `    --${o.long}) COMPREPLY=($(compgen -W "$families" -- "$cur")); return ;;`;
      return `    --${o.long}) return ;;`;
    })
    .join('\n');
  return `# bash completion for ges-err. Load it with:  source <(ges-err completion bash)
# or save it:  ges-err completion bash > ~/.local/share/bash-completion/completions/ges-err
_ges_err() {
  local cur prev cmd i opts
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local commands="${COMMANDS.map((c) => c.name).join(' ')}"
  local codes="${d.codes.filter(safe).join(' ')}"
  local families="${d.families.filter(safe).join(' ')}"
  case "$prev" in
${valueCases}
  esac
  cmd=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in
      ${COMMANDS.map((c) => c.name).join('|')}) cmd="\${COMP_WORDS[i]}"; break ;;
    esac
  done
  opts="${global}"
  case "$cmd" in
${perCommand}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    return
  fi
  case "$cmd" in
    "") COMPREPLY=($(compgen -W "$commands $codes" -- "$cur")) ;;
    explain|list) COMPREPLY=($(compgen -W "$codes" -- "$cur")) ;;
    diagnose) COMPREPLY=($(compgen -f -- "$cur")) ;;
    completion) COMPREPLY=($(compgen -W "${SHELLS.join(' ')}" -- "$cur")) ;;
  esac
}
complete -o default -F _ges_err ges-err
`;
}

function zshEscape(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/'/g, "'\\''").replace(/\[/g, '\\[').replace(/\]/g, '\\]').replace(/:/g, '\\:');
}

function zshOption(o: OptionSpec | (typeof ALWAYS)[number]): string {
  const desc = zshEscape(o.description);
  const value = 'value' in o && o.value ? o.value.replace(/[<>]/g, '') : undefined;
  let action = '';
  if (value) {
    const choices = VALUE_CHOICES[o.long];
    action = choices ? `:${value}:(${choices.join(' ')})` : o.long === 'catalog' ? `:${value}:_files` : o.long === 'family' ? `:${value}:($families)` : `:${value}:`;
  }
  const repeat = 'repeatable' in o && o.repeatable ? '*' : '';
  if (o.short) return `    '${repeat}(-${o.short} --${o.long})'{-${o.short},--${o.long}}'[${desc}]${action}'`;
  return `    '${repeat}--${o.long}[${desc}]${action}'`;
}

function zsh(d: CompletionData): string {
  const globalSpecs = [...GLOBAL_OPTIONS, ...ALWAYS].map(zshOption).join(' \\\n');
  const cmdCases = COMMANDS.map((c) => {
    const specs = c.options.map(zshOption);
    const rest = c.name === 'diagnose' ? "'*:file:_files'" : c.name === 'completion' ? `'1:shell:(${SHELLS.join(' ')})'` : c.name === 'search' ? "'*:pattern:'" : "'*:code:($codes)'";
    return `      ${c.name})\n        _arguments -s \\\n${[...specs, `    ${rest}`].map((s) => '      ' + s.trim()).join(' \\\n')}\n        ;;`;
  }).join('\n');
  return `#compdef ges-err
# zsh completion for ges-err. Load it with:  source <(ges-err completion zsh)
# or save it as _ges-err in a directory of your $fpath.
_ges_err() {
  local -a codes families commands
  codes=(${d.codes.filter(safe).join(' ')})
  families=(${d.families.filter(safe).join(' ')})
  commands=(
${COMMANDS.map((c) => `    '${c.name}:${zshEscape(c.summary)}'`).join('\n')}
  )
  local curcontext="$curcontext" state line
  _arguments -C -s \\
${globalSpecs} \\
    '1: :->first' \\
    '*:: :->args'
  case $state in
    first)
      _describe -t commands 'command' commands
      compadd -a codes
      ;;
    args)
      case $line[1] in
${cmdCases}
        *) compadd -a codes ;;
      esac
      ;;
  esac
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _ges_err "$@"
else
  compdef _ges_err ges-err
fi
`;
}

function fishEscape(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}

function fish(d: CompletionData): string {
  const lines = [
    '# fish completion for ges-err. Load it with:  ges-err completion fish | source',
    '# or save it:  ges-err completion fish > ~/.config/fish/completions/ges-err.fish',
    'complete -c ges-err -f',
  ];
  const names = COMMANDS.map((c) => c.name).join(' ');
  for (const c of COMMANDS) lines.push(`complete -c ges-err -n 'not __fish_seen_subcommand_from ${names}' -a ${c.name} -d '${fishEscape(c.summary)}'`);
  const opt = (o: OptionSpec | (typeof ALWAYS)[number], cond: string) => {
    const parts = [`complete -c ges-err`];
    if (cond) parts.push(`-n '${cond}'`);
    parts.push(`-l ${o.long}`);
    if (o.short) parts.push(`-s ${o.short}`);
    if ('value' in o && o.value) {
      const choices = VALUE_CHOICES[o.long];
      if (choices) parts.push(`-x -a '${choices.join(' ')}'`);
      else if (o.long === 'catalog') parts.push('-r -F');
      else if (o.long === 'family') parts.push(`-x -a '${d.families.filter(safe).join(' ')}'`);
      else parts.push('-x');
    }
    parts.push(`-d '${fishEscape(o.description)}'`);
    return parts.join(' ');
  };
  for (const o of [...GLOBAL_OPTIONS, ...ALWAYS]) lines.push(opt(o, ''));
  for (const c of COMMANDS) for (const o of c.options) lines.push(opt(o, `__fish_seen_subcommand_from ${c.name}`));
  const codes = d.codes.filter(safe).join(' ');
  lines.push(`complete -c ges-err -n 'not __fish_seen_subcommand_from search diagnose completion' -a '${codes}'`);
  lines.push(`complete -c ges-err -n '__fish_seen_subcommand_from diagnose' -F`);
  lines.push(`complete -c ges-err -n '__fish_seen_subcommand_from completion' -a '${SHELLS.join(' ')}'`);
  return lines.join('\n') + '\n';
}

export function completionScript(shell: Shell, data: CompletionData): string {
  return shell === 'bash' ? bash(data) : shell === 'zsh' ? zsh(data) : fish(data);
}
