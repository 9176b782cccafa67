// The command line as data: every command and option is declared once here. The fast parser
// (parse.ts) and the commander program (program.ts) are both built from it, so they cannot disagree.

export type CommandName = 'explain' | 'search' | 'list' | 'diagnose' | 'completion';

export interface OptionSpec {
  /** Long name without dashes; the parsed option's key is its camelCase form, as commander makes it. */
  long: string;
  short?: string;
  /** Placeholder for an option that takes a value, e.g. "<when>". */
  value?: string;
  choices?: readonly string[];
  repeatable?: boolean;
  description: string;
}

export interface CommandSpec {
  name: CommandName;
  /** Positional arguments as commander writes them, e.g. "[input...]". */
  args: string;
  summary: string;
  options: readonly OptionSpec[];
  examples: readonly [string, string][];
}

export const FORMATS = ['table', 'plain', 'tsv', 'md', 'json'] as const;
export type Format = (typeof FORMATS)[number];
export const LANG_CHOICES = ['en', 'zh', 'both'] as const;
export type LangChoice = (typeof LANG_CHOICES)[number];
export const COLOR_CHOICES = ['auto', 'always', 'never'] as const;
export type ColorChoice = (typeof COLOR_CHOICES)[number];
export const SHELLS = ['bash', 'zsh', 'fish'] as const;

/** Options every command accepts, before or after the command name. */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { long: 'json', description: 'print one JSON document (same as --format json)' },
  { long: 'format', value: '<format>', choices: FORMATS, description: 'output format (default: table on a terminal, plain in a pipe)' },
  { long: 'lang', value: '<lang>', choices: LANG_CHOICES, description: 'language of the explanation (default: both)' },
  { long: 'color', value: '<when>', choices: COLOR_CHOICES, description: 'colour the output (default: auto; NO_COLOR and FORCE_COLOR are honoured)' },
  { long: 'catalog', value: '<file>', repeatable: true, description: 'also load this catalog file (repeatable; GES_ERR_CATALOG adds more)' },
  { long: 'width', value: '<columns>', description: 'wrap tables to this many columns (default: the terminal width)' },
];

const FAMILY: OptionSpec = { long: 'family', value: '<family>', description: 'only this family (ges-management, ges-service, apigw, ... or a code prefix such as APIGW)' };
const STATUS: OptionSpec = { long: 'status', value: '<http>', description: 'only codes documented with this HTTP status (e.g. 408, 5xx)' };

const EXIT_STATUS: OptionSpec = {
  long: 'exit-status',
  description:
    "exit 0 only if every error found is retryable (the catalog's 'retryable' for the variant the observed status picks; shown in the output and --json); 1 if any is not retryable or not in the catalog, or if no error was found; 2 if an input cannot be read",
};
const PROGRESS: OptionSpec = { long: 'progress', description: 'show progress on stderr even when it is not a terminal' };

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'explain',
    args: '[input...]',
    summary: 'explain error codes, message text or a pasted response (the default command)',
    // Piped or pasted input is diagnosed: the diagnose options apply to it.
    options: [EXIT_STATUS, PROGRESS],
    examples: [
      ['ges-err GES.7018', 'explain one code'],
      ['ges-err ges-7018 7000 APIGW.0301', 'several codes, written any way'],
      ['ges-err "graph is not running"', 'free text: the closest messages'],
      ['ges-err \'{"errorCode":"GES.7000","errorMessage":"..."}\'', 'a pasted response body'],
      ['my-ges-call 2>&1 | ges-err --exit-status', 'exit 0 only if every error in it is retryable'],
    ],
  },
  {
    name: 'search',
    args: '<pattern...>',
    summary: 'grep-style search over codes, messages, descriptions, remediation and notes, in both languages; every pattern must match',
    options: [
      { long: 'ignore-case', short: 'i', description: 'ignore case (default: smart case, case-insensitive unless the pattern has capitals)' },
      { long: 'case-sensitive', short: 's', description: 'match case exactly' },
      { long: 'word-regexp', short: 'w', description: 'match whole words only (Chinese has no spaces: a word ends at punctuation or where the script changes, so 弹性IP holds 弹性 and IP)' },
      { long: 'regexp', short: 'E', description: 'patterns are regular expressions (JavaScript syntax; ^ and $ match at each line)' },
      { long: 'fixed-strings', short: 'F', description: 'patterns are literal strings (the default)' },
      { long: 'codes-only', short: 'l', description: 'print only the matching codes, one per line (for xargs)' },
      { long: 'count', short: 'c', description: 'print only the number of matching codes' },
      { long: 'quiet', short: 'q', description: 'print nothing; exit 0 if anything matched' },
      FAMILY,
      STATUS,
    ],
    examples: [
      ['ges-err search quota', 'every code that mentions a quota'],
      ['ges-err search 配额 -c', 'how many codes mention 配额'],
      ['ges-err search -E "EIP|弹性IP" -l', 'codes only, for xargs'],
      ['ges-err search --status 5xx engine', 'server-side errors about the engine'],
    ],
  },
  {
    name: 'list',
    args: '[prefix]',
    summary: 'list codes: all, one family, or a code prefix such as GES.70 or GES.7*',
    options: [FAMILY, STATUS],
    examples: [
      ['ges-err list', 'every code, with counts per family'],
      ['ges-err list GES.70', 'the GES.70xx codes'],
      ['ges-err list --family apigw --json', 'API Gateway codes as JSON'],
    ],
  },
  {
    name: 'diagnose',
    args: '[file...]',
    summary: 'find and explain every error in responses, curl transcripts, SDK errors or logs',
    options: [EXIT_STATUS, PROGRESS],
    examples: [
      ['curl -si https://ges.../graphs | ges-err', 'diagnose a response (no command needed)'],
      ['ges-err diagnose app.log', 'summarise every error in a log'],
      ['hcloud GES ListGraphs 2>&1 | ges-err diagnose -', 'a KooCLI error from stdin'],
    ],
  },
  {
    name: 'completion',
    args: '<shell>',
    summary: 'print a shell completion script (bash, zsh or fish)',
    options: [],
    examples: [['source <(ges-err completion bash)', 'enable completion in bash']],
  },
];

/** The property an option is stored under: "codes-only" -> "codesOnly" (commander's rule). */
export function optionKey(spec: OptionSpec): string {
  return spec.long.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

export function commandSpec(name: CommandName): CommandSpec {
  const c = COMMANDS.find((x) => x.name === name);
  if (!c) throw new Error(`no command ${name}`);
  return c;
}

export interface GlobalOptions {
  json?: boolean;
  format?: Format;
  lang?: LangChoice;
  color?: ColorChoice;
  catalog?: string[];
  width?: string;
}

export interface SearchOptions {
  ignoreCase?: boolean;
  caseSensitive?: boolean;
  wordRegexp?: boolean;
  regexp?: boolean;
  fixedStrings?: boolean;
  codesOnly?: boolean;
  count?: boolean;
  quiet?: boolean;
  family?: string;
  status?: string;
}

export interface DiagnoseOptions {
  exitStatus?: boolean;
  progress?: boolean;
}

export type Options = GlobalOptions & SearchOptions & DiagnoseOptions;

/** A parsed command line. */
export type Invocation =
  | { kind: 'run'; command: CommandName; args: string[]; options: Options }
  | { kind: 'help'; text: string }
  | { kind: 'version'; options: Options }
  | { kind: 'usage-error'; message: string };
