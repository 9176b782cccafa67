// The --json document: one object, versioned, always valid JSON (also when nothing matched).

import { JSON_SCHEMA_VERSION } from '../result.js';
import { safeJson } from './sanitize.js';

export function renderJson(command: string, body: Record<string, unknown>): string {
  return safeJson({ schemaVersion: JSON_SCHEMA_VERSION, command, ...body }) + '\n';
}
