// A scenario as text: parse a teacher's file with readable errors (line:column, the path of the
// field at fault, a message in French and English), and print a scenario back as tidy JSON.
// Pure code: the dashboard (src/api) and the unit tests call it, never the engine.
import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { checkScenario, type ScenarioIssue } from './scenario-schema.js';
import type { I18nText, Scenario } from './types.js';

/** Longest scenario text the dashboard accepts (the biggest preset is about 6 KB). */
export const MAX_SCENARIO_CHARS = 64 * 1024;

export interface ScenarioError {
  /** 1-based line and column of the field at fault (or of the syntax error) */
  line: number;
  column: number;
  /** dotted path of the field ("timeline.2.fault.node"), empty for the whole file */
  path: string;
  message: I18nText;
}

export type ScenarioTextResult = { ok: true; scenario: Scenario } | { ok: false; errors: ScenarioError[] };

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const nl = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - nl };
}

const SYNTAX: Record<string, I18nText> = {
  InvalidSymbol: { fr: 'caractère inattendu', en: 'unexpected character' },
  InvalidNumberFormat: { fr: 'nombre mal écrit', en: 'badly written number' },
  PropertyNameExpected: { fr: 'nom de champ attendu (entre guillemets)', en: 'field name expected (in double quotes)' },
  ValueExpected: { fr: 'valeur attendue', en: 'value expected' },
  ColonExpected: { fr: '« : » attendu après le nom du champ', en: '":" expected after the field name' },
  CommaExpected: { fr: 'virgule attendue', en: 'comma expected' },
  CloseBraceExpected: { fr: '« } » attendu', en: '"}" expected' },
  CloseBracketExpected: { fr: '« ] » attendu', en: '"]" expected' },
  EndOfFileExpected: { fr: 'texte en trop après la fin du fichier', en: 'extra text after the end of the file' },
  InvalidCommentToken: { fr: 'les commentaires ne sont pas permis en JSON', en: 'comments are not allowed in JSON' },
  UnexpectedEndOfComment: { fr: 'commentaire non fermé', en: 'unterminated comment' },
  UnexpectedEndOfString: { fr: 'chaîne non fermée (guillemet manquant)', en: 'unterminated string (missing quote)' },
  UnexpectedEndOfNumber: { fr: 'nombre incomplet', en: 'incomplete number' },
  InvalidUnicode: { fr: 'séquence unicode invalide', en: 'invalid unicode sequence' },
  InvalidEscapeCharacter: { fr: "séquence d'échappement invalide", en: 'invalid escape sequence' },
  InvalidCharacter: { fr: 'caractère invalide dans une chaîne', en: 'invalid character in a string' },
};

function syntaxError(text: string, e: ParseError): ScenarioError {
  const code = printParseErrorCode(e.error);
  const msg = SYNTAX[code] ?? { fr: `erreur de syntaxe (${code})`, en: `syntax error (${code})` };
  return { ...lineColumn(text, e.offset), path: '', message: { fr: `JSON invalide : ${msg.fr}`, en: `Invalid JSON: ${msg.en}` } };
}

/** The deepest node of the tree that exists along `path` (a missing field points at its parent);
 * with `key`, the property of that name inside it (an unknown field points at its own key). */
function nodeAt(root: Node, path: readonly (string | number)[], key?: string): Node {
  for (let n = path.length; n >= 0; n--) {
    const hit = findNodeAtLocation(root, path.slice(0, n) as (string | number)[]);
    if (!hit) continue;
    const prop = key !== undefined && n === path.length ? hit.children?.find((p) => p.type === 'property' && p.children?.[0]?.value === key) : undefined;
    return prop ?? hit;
  }
  return root;
}

function issueError(text: string, root: Node, i: ScenarioIssue): ScenarioError {
  const at = nodeAt(root, i.path, i.key);
  return { ...lineColumn(text, at.offset), path: [...i.path, ...(i.key !== undefined ? [i.key] : [])].join('.'), message: i.message };
}

/** Parses and checks a scenario file. Never throws: every problem comes back as an error with its
 * position, sorted by line. */
export function parseScenarioText(text: string): ScenarioTextResult {
  if (text.length > MAX_SCENARIO_CHARS)
    return {
      ok: false,
      errors: [{ line: 1, column: 1, path: '', message: { fr: `Fichier trop long (plus de ${MAX_SCENARIO_CHARS} caractères)`, en: `File too long (more than ${MAX_SCENARIO_CHARS} characters)` } }],
    };
  const errs: ParseError[] = [];
  const root = parseTree(text, errs, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errs.length || !root) {
    const list = errs.length ? errs.map((e) => syntaxError(text, e)) : [{ line: 1, column: 1, path: '', message: { fr: 'Fichier vide', en: 'Empty file' } }];
    return { ok: false, errors: list.slice(0, 20) };
  }
  const r = checkScenario(getNodeValue(root));
  if (r.ok) return r;
  const errors = r.issues.map((i) => issueError(text, root, i));
  errors.sort((a, b) => a.line - b.line || a.column - b.column);
  return { ok: false, errors };
}

/** One error as a line of text: "12:7 timeline.0.fault.node — unknown node pve9". */
export function errorLine(e: ScenarioError, lang: 'fr' | 'en'): string {
  return `${e.line}:${e.column}${e.path ? ` ${e.path}` : ''} — ${e.message[lang]}`;
}

/** Tidy JSON: an object or array that fits on one line of `width` stays on one line. */
export function formatScenarioJson(value: unknown, width = 140): string {
  const inline = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(inline).join(', ')}]`;
    if (v && typeof v === 'object') {
      const entries = Object.entries(v).filter(([, x]) => x !== undefined);
      return entries.length ? `{ ${entries.map(([k, x]) => `${JSON.stringify(k)}: ${inline(x)}`).join(', ')} }` : '{}';
    }
    return JSON.stringify(v);
  };
  const block = (v: unknown, indent: string, lead: number): string => {
    const one = inline(v);
    if (indent.length + lead + one.length <= width || v === null || typeof v !== 'object') return one;
    const inner = indent + '  ';
    if (Array.isArray(v)) return `[\n${v.map((x) => inner + block(x, inner, 0)).join(',\n')}\n${indent}]`;
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${block(x, inner, JSON.stringify(k).length + 2)}`).join(',\n')}\n${indent}}`;
  };
  return block(value, '', 0) + '\n';
}
