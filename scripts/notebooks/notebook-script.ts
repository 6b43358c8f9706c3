/**
 * A notebook's `.ts` twin as one plain CommonJS script, so it runs without Jupyter: import
 * declarations of every cell are hoisted (with `ticketlab` and `ticketlab/kernel` mapped to
 * this repository's sources), the code cells run in order inside one async function (one
 * scope, so top-level `await` works), each markdown cell becomes a `markdown(text)` hook call
 * at its place, and a code cell's last expression is passed to a `result(value)` hook, which
 * shows it as the kernel would.
 */
import * as path from 'node:path';
import ts from 'typescript';
import { parsePercent } from './percent-format';

/** Hooks the compiled script calls while it runs. */
export interface NotebookHooks {
  /** A markdown cell, in order. */
  markdown(text: string): void;
  /** A code cell starts (0-based index among all cells). */
  cell(index: number): void;
  /** The value of a code cell's last expression statement. */
  result(value: unknown): void;
}

/** Module specifiers to replace in import declarations, e.g. `{ ticketlab: '/repo/src/index.ts' }`. */
export type ImportMap = Readonly<Record<string, string>>;

/** The default import map: `ticketlab` → src/index.ts, `ticketlab/kernel` → kernel/api.ts. */
export function sourceImportMap(repoRoot: string): ImportMap {
  return { ticketlab: path.join(repoRoot, 'src', 'index.ts'), 'ticketlab/kernel': path.join(repoRoot, 'kernel', 'api.ts') };
}

function rewriteImport(sf: ts.SourceFile, stmt: ts.ImportDeclaration | ts.ImportEqualsDeclaration, map: ImportMap): string {
  const spec = ts.isImportDeclaration(stmt)
    ? stmt.moduleSpecifier
    : ts.isExternalModuleReference(stmt.moduleReference)
      ? stmt.moduleReference.expression
      : undefined;
  const text = sf.text;
  if (!spec || !ts.isStringLiteral(spec) || map[spec.text] === undefined) return text.slice(stmt.getStart(sf), stmt.getEnd());
  return text.slice(stmt.getStart(sf), spec.getStart(sf)) + JSON.stringify(map[spec.text]) + text.slice(spec.getEnd(), stmt.getEnd());
}

/**
 * The TypeScript source of the script: hoisted imports, then `export async function __run(__nb)`.
 * @param text the percent-format twin
 * @param file its path, for error messages
 */
export function notebookScriptSource(text: string, file: string, map: ImportMap): string {
  const notebook = parsePercent(text, file);
  const imports: string[] = [];
  const body: string[] = [];
  notebook.cells.forEach((cell, index) => {
    if (cell.kind === 'markdown') body.push(`__nb.markdown(${JSON.stringify(cell.source)});`);
    if (cell.kind !== 'code') return;
    body.push(`__nb.cell(${index});`);
    const sf = ts.createSourceFile(`${file}#cell${index}.ts`, cell.source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    const statements = sf.statements;
    statements.forEach((stmt, i) => {
      if (ts.isImportDeclaration(stmt) || ts.isImportEqualsDeclaration(stmt)) {
        imports.push(rewriteImport(sf, stmt, map));
      } else if (i === statements.length - 1 && ts.isExpressionStatement(stmt)) {
        body.push(`__nb.result((${stmt.expression.getText(sf)}));`);
      } else {
        body.push(sf.text.slice(stmt.getFullStart(), stmt.getEnd()));
      }
    });
  });
  return [
    ...imports,
    `import type { NotebookHooks as __Hooks } from ${JSON.stringify(path.join(__dirname, 'notebook-script'))};`,
    'export async function __run(__nb: __Hooks): Promise<void> {',
    ...body,
    '}',
    '',
  ].join('\n');
}

/** The script compiled to CommonJS JavaScript (types stripped, not checked). */
export function compileNotebookScript(text: string, file: string, map: ImportMap): string {
  const source = notebookScriptSource(text, file, map);
  const out = ts.transpileModule(source, {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false },
    reportDiagnostics: true,
  });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length) {
    throw new Error(`${file}: ${errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('; ')}`);
  }
  return out.outputText;
}
