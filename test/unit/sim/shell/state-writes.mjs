// The scan behind no-mutation.test.ts (plain Node: the workers tsconfig has no node types).
// Reads files with the TypeScript checker and lists every place that writes to a value whose type
// is declared in src/sim/types.ts (assignment, delete, ++/--, a mutating method, Object.assign),
// and every direct call of `emit` or `cfsCommit`.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const ROOT = resolve(fileURLToPath(new URL('../../../..', import.meta.url)));
export const SHELL = join(ROOT, 'src/sim/shell');
const TYPES = join(ROOT, 'src/sim/types.ts');
const MUTATORS = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin', 'set', 'delete', 'clear', 'add']);
const FORBIDDEN_CALLS = new Set(['emit', 'cfsCommit']);

/** Every place in `files` where the shell would change state by itself: `file:line: text`. */
export function findMutations(files, extra) {
  const options = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, strict: true, noEmit: true, skipLibCheck: true };
  const host = ts.createCompilerHost(options);
  if (extra) {
    const read = host.readFile.bind(host);
    const exists = host.fileExists.bind(host);
    const get = host.getSourceFile.bind(host);
    host.readFile = (f) => (resolve(f) === extra.path ? extra.text : read(f));
    host.fileExists = (f) => resolve(f) === extra.path || exists(f);
    host.getSourceFile = (f, v, ...rest) => (resolve(f) === extra.path ? ts.createSourceFile(f, extra.text, v) : get(f, v, ...rest));
  }
  const program = ts.createProgram(extra ? [...files, extra.path] : files, options, host);
  const checker = program.getTypeChecker();
  /** @type {string[]} */
  const found = [];

  /** @param {import('typescript').Type} t @returns {boolean} */
  const isStateType = (t) => {
    if (t.isUnion()) return t.types.some(isStateType);
    const sym = t.aliasSymbol ?? t.getSymbol();
    return !!sym?.declarations?.some((d) => resolve(d.getSourceFile().fileName) === TYPES);
  };
  /** True when `e` or any object it is read from (`a.b[c].d` → a.b[c], a.b, a) is state. */
  const touchesState = (e) => {
    let cur = e;
    for (;;) {
      while (ts.isParenthesizedExpression(cur) || ts.isNonNullExpression(cur) || ts.isAsExpression(cur)) cur = cur.expression;
      if (isStateType(checker.getTypeAtLocation(cur))) return true;
      if (ts.isPropertyAccessExpression(cur) || ts.isElementAccessExpression(cur)) cur = cur.expression;
      else return false;
    }
  };
  const target = (e) => {
    while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
    return ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) ? e.expression : null;
  };

  for (const sf of program.getSourceFiles()) {
    const name = resolve(sf.fileName);
    if (!(name.startsWith(SHELL + '/') || name === extra?.path)) continue;
    const report = (n) => {
      const { line } = sf.getLineAndCharacterOfPosition(n.getStart(sf));
      found.push(`${name.slice(ROOT.length + 1)}:${line + 1}: ${n.getText(sf).split('\n')[0]}`);
    };
    const visit = (n) => {
      if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
        const obj = target(n.left);
        if (obj && touchesState(obj)) report(n);
      } else if (ts.isDeleteExpression(n)) {
        const obj = target(n.expression);
        if (obj && touchesState(obj)) report(n);
      } else if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) {
        const obj = target(n.operand);
        if (obj && touchesState(obj)) report(n);
      } else if (ts.isCallExpression(n)) {
        const callee = n.expression;
        if (ts.isIdentifier(callee) && FORBIDDEN_CALLS.has(callee.text)) report(n);
        else if (ts.isPropertyAccessExpression(callee) && MUTATORS.has(callee.name.text) && touchesState(callee.expression)) report(n);
        else if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Object' && callee.name.text === 'assign' && n.arguments[0] && touchesState(n.arguments[0])) report(n);
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return found;
}

/** The TypeScript files of src/sim/shell. */
export const shellFiles = () =>
  readdirSync(SHELL)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(SHELL, f));
