// The scan behind exhaustive-switch.test.ts (plain Node): every `switch` over a union of literal
// types (an event's `type`, a fault's `kind`, a status…) in src/ and web/ must end in a `default`
// whose body checks `never` (`const _x: never = e`), so that a new member of the union cannot ship
// without its case. Switches over plain strings (command names typed by a student) are exempt.
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** @param {string} dir @returns {string[]} */
function tsFiles(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

/** Switches over a literal union: `unchecked` lists those without a `never` check (`file:line: switch (expr)`), `checked` counts the others. */
export function literalUnionSwitches(dirs = ['src', 'web']) {
  const files = dirs.flatMap((d) => tsFiles(join(ROOT, d)));
  const options = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, strict: true, noEmit: true, skipLibCheck: true, lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'], types: [] };
  const program = ts.createProgram(files, options);
  const checker = program.getTypeChecker();
  /** @type {string[]} */
  const found = [];
  let checked = 0;
  const literal = (t) => t.isLiteral() || (t.flags & (ts.TypeFlags.BooleanLiteral | ts.TypeFlags.Undefined | ts.TypeFlags.Null)) !== 0;
  const isLiteralUnion = (t) => t.isUnion() && t.types.every(literal);
  const hasNeverCheck = (clause) => {
    let ok = false;
    const visit = (n) => {
      if (ts.isVariableDeclaration(n) && n.type && n.type.kind === ts.SyntaxKind.NeverKeyword) ok = true;
      if (ts.isAsExpression(n) && n.type.kind === ts.SyntaxKind.NeverKeyword) ok = true;
      ts.forEachChild(n, visit);
    };
    visit(clause);
    return ok;
  };
  for (const sf of program.getSourceFiles()) {
    const name = resolve(sf.fileName);
    if (!files.includes(name)) continue;
    const visit = (n) => {
      if (ts.isSwitchStatement(n) && isLiteralUnion(checker.getTypeAtLocation(n.expression))) {
        const def = n.caseBlock.clauses.find((c) => c.kind === ts.SyntaxKind.DefaultClause);
        if (def && hasNeverCheck(def)) checked++;
        else {
          const { line } = sf.getLineAndCharacterOfPosition(n.getStart(sf));
          found.push(`${name.slice(ROOT.length + 1)}:${line + 1}: switch (${n.expression.getText(sf)})`);
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return { unchecked: found, checked };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(literalUnionSwitches());
