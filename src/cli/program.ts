// The commander program, built from spec.ts: the reference parser, and the source of --help text
// and usage errors. It never runs anything itself; it returns an Invocation for main to act on.

import { Command, CommanderError, Option } from 'commander';
import { COMMANDS, GLOBAL_OPTIONS, type CommandName, type CommandSpec, type Invocation, type OptionSpec, type Options } from './spec.js';

const PREAMBLE = `ges-err explains Huawei Cloud GES (图引擎服务) and API Gateway error codes, in English and Chinese.
Three jobs:
  explain   ges-err GES.7018            a code, however it is written (ges-7018, 7018, ＧＥＳ．７０１８)
  search    ges-err search quota        grep over codes, messages and remediation (配额 works too)
  diagnose  curl -si ... | ges-err      every error in a response, an SDK error or a whole log`;

const EXIT_HELP = `Exit status: 0 something explained or found, 1 nothing found, 2 usage error, unreadable input or bad catalog.
Environment: GES_ERR_CATALOG (extra catalog files, ':'-separated), NO_COLOR, FORCE_COLOR, COLUMNS.`;

function toOption(spec: OptionSpec): Option {
  const flags = `${spec.short ? `-${spec.short}, ` : ''}--${spec.long}${spec.value ? ` ${spec.value}` : ''}`;
  const opt = new Option(flags, spec.description);
  if (spec.choices) opt.choices(spec.choices as string[]);
  if (spec.repeatable) opt.argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]);
  return opt;
}

function examples(spec: CommandSpec): string {
  const w = Math.max(...spec.examples.map(([cmd]) => cmd.length));
  return '\nExamples:\n' + spec.examples.map(([cmd, what]) => `  ${cmd.padEnd(w)}  ${what}`).join('\n') + '\n';
}

/**
 * Parse argv with commander. Help and errors are captured as text, never printed here.
 */
export function commanderParse(argv: readonly string[]): Invocation {
  let result: Invocation | undefined;
  let out = '';
  let err = '';
  const output = {
    writeOut: (s: string) => {
      out += s;
    },
    writeErr: (s: string) => {
      err += s;
    },
    outputError: (s: string, write: (s: string) => void) => write(s),
    // Help wraps at 80 columns wherever it is printed: the same text on every terminal and in tests.
    getOutHelpWidth: () => 80,
    getErrHelpWidth: () => 80,
  };

  const program = new Command('ges-err')
    .addHelpText('before', PREAMBLE + '\n')
    .usage('[options] [command] [input...]')
    .exitOverride()
    .configureOutput(output)
    .showSuggestionAfterError(true)
    .helpCommand(false)
    .option('-V, --version', 'print the version of ges-err and of its catalog');
  for (const o of GLOBAL_OPTIONS) program.addOption(toOption(o));
  // The program itself is the explain command (the default): its options are the program's.
  const explain = COMMANDS.find((c) => c.name === 'explain')!;
  for (const o of explain.options) program.addOption(toOption(o));
  program.argument(explain.args, 'codes, text, or a response to explain').addHelpText('after', examples(explain) + '\n' + EXIT_HELP);

  const done = (command: CommandName, args: string[], options: Options) => {
    result = { kind: 'run', command, args, options };
  };

  program.action((input: string[], opts: Options & { version?: boolean }) => {
    if (opts.version) {
      result = { kind: 'version', options: opts };
      return;
    }
    done('explain', input, opts);
  });

  for (const spec of COMMANDS) {
    const sub = program
      .command(spec.name)
      .description(spec.summary)
      .exitOverride()
      .configureOutput(output)
      .showSuggestionAfterError(true);
    sub.argument(spec.args);
    for (const o of spec.options) sub.addOption(toOption(o));
    sub.addHelpText('after', examples(spec));
    sub.action((...params: unknown[]) => {
      const cmd = params[params.length - 1] as Command;
      const positional = params[0];
      const args = Array.isArray(positional) ? (positional as string[]) : positional === undefined ? [] : [positional as string];
      done(spec.name, args, cmd.optsWithGlobals() as Options);
    });
  }

  try {
    program.parse(argv as string[], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help') return { kind: 'help', text: out };
      const message = (err || e.message).trim().replace(/^error: /, '');
      return { kind: 'usage-error', message };
    }
    throw e;
  }
  return result ?? { kind: 'usage-error', message: 'nothing to do' };
}
