// The fast path of argument parsing: handles the common, unambiguous command lines without loading
// commander (which costs ~10% of Node's start-up). Anything unusual returns undefined, and the caller
// hands the command line to the commander program, which is the reference behaviour.

import { COMMANDS, GLOBAL_OPTIONS, optionKey, type CommandName, type Invocation, type OptionSpec, type Options } from './spec.js';

const COMMAND_NAMES = new Set<string>(COMMANDS.map((c) => c.name));

function findLong(specs: readonly OptionSpec[], name: string): OptionSpec | undefined {
  return specs.find((o) => o.long === name);
}

export function fastParse(argv: readonly string[]): Invocation | undefined {
  // `ges-err --version` alone: scripts and bug reports ask it, and it needs no parser.
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) return { kind: 'version', options: { version: true } as Options };
  let command: CommandName | undefined;
  const args: string[] = [];
  const options: Record<string, unknown> = {};
  // Before a command name, the options are the default command's (explain), as in the commander program.
  const specs = (): readonly OptionSpec[] => [...GLOBAL_OPTIONS, ...COMMANDS.find((c) => c.name === (command ?? 'explain'))!.options];

  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i]!;
    if (tok.startsWith('-') && tok !== '-') {
      let spec: OptionSpec | undefined;
      let inline: string | undefined;
      if (tok.startsWith('--')) {
        const eq = tok.indexOf('=');
        const name = eq < 0 ? tok.slice(2) : tok.slice(2, eq);
        if (eq >= 0) inline = tok.slice(eq + 1);
        spec = findLong(specs(), name);
      } else if (tok.length === 2) {
        spec = specs().find((o) => o.short === tok[1]);
      }
      // --help, --version, "--", bundled short flags, unknown options: commander decides.
      if (!spec) return undefined;
      if (spec.value) {
        const value = inline ?? argv[++i];
        if (value === undefined) return undefined;
        if (spec.choices && !spec.choices.includes(value)) return undefined;
        if (spec.repeatable) ((options[optionKey(spec)] as string[] | undefined) ??= []).push(value);
        else options[optionKey(spec)] = value;
      } else {
        if (inline !== undefined) return undefined;
        options[optionKey(spec)] = true;
      }
      continue;
    }
    if (command === undefined && args.length === 0 && COMMAND_NAMES.has(tok)) {
      command = tok as CommandName;
      continue;
    }
    args.push(tok);
  }
  const cmd = command ?? 'explain';
  // Leave argument-count errors to commander's messages.
  const spec = COMMANDS.find((c) => c.name === cmd)!;
  if (spec.args.startsWith('<') && args.length === 0) return undefined;
  if (!spec.args.endsWith('...]') && !spec.args.endsWith('...>') && args.length > 1) return undefined;
  return { kind: 'run', command: cmd, args, options: options as Options };
}
