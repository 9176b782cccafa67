// Colour, decided once at the boundary and passed down: --color, NO_COLOR, FORCE_COLOR, TERM=dumb
// and whether stdout is a terminal. Renderers only ever see a Style.

import { Chalk } from 'chalk';
import type { ColorChoice } from '../cli/spec.js';

export interface Style {
  enabled: boolean;
  code(s: string): string;
  label(s: string): string;
  dim(s: string): string;
  warn(s: string): string;
  good(s: string): string;
  match(s: string): string;
  border: string[];
}

export function decideColor(choice: ColorChoice | undefined, env: Readonly<Record<string, string | undefined>>, isTTY: boolean): boolean {
  if (choice === 'always') return true;
  if (choice === 'never') return false;
  // https://no-color.org: present and not empty disables colour.
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !(force === '0' || force.toLowerCase() === 'false');
  if (env.TERM === 'dumb') return false;
  return isTTY;
}

const id = (s: string) => s;

export const PLAIN_STYLE: Style = {
  enabled: false,
  code: id,
  label: id,
  dim: id,
  warn: id,
  good: id,
  match: id,
  border: [],
};

export function makeStyle(enabled: boolean): Style {
  if (!enabled) return PLAIN_STYLE;
  const c = new Chalk({ level: 1 });
  return {
    enabled: true,
    code: (s) => c.bold.cyan(s),
    label: (s) => c.bold(s),
    dim: (s) => c.dim(s),
    warn: (s) => c.yellow(s),
    good: (s) => c.green(s),
    match: (s) => c.bold.red(s),
    border: ['gray'],
  };
}
