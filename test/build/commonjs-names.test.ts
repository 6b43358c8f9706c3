/**
 * The library ships as tsc's CommonJS output (dist/, which the kernel and notebooks load), where
 * a module's own exported constants are read as `exports.NAME` and imports as `require(…)`. A
 * local binding named `exports` or `require` shadows those: under tsx (esbuild keeps the plain
 * names) everything works, but the built library silently reads `undefined`. That happened once:
 * a local `exports` made every fused kernel pass, however short, split over the host threads in
 * dist/, a third of the MLP's training speed. This test parses every source file and refuses such
 * bindings.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

const root = path.join(__dirname, '..', '..');
const SHADOWING = new Set(['exports', 'require', 'module']);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** `file:line name` of every declared binding (variable, parameter, function, class) named exports/require/module. */
function shadowingBindings(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    const named = ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isBindingElement(node);
    const name = named ? (node as ts.NamedDeclaration).name : undefined;
    if (name && ts.isIdentifier(name) && SHADOWING.has(name.text)) {
      const { line } = source.getLineAndCharacterOfPosition(name.getStart());
      found.push(`${path.relative(root, file)}:${line + 1} ${name.text}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test('the check finds a shadowing local, a parameter and a destructured name', () => {
  const text = 'export const N = 1;\nfunction f(exports: object) { const { require } = { require: 1 }; return require; }\nfunction g() { const module = 2; return module + N; }\n';
  assert.deepEqual(shadowingBindings(path.join(root, 'x.ts'), text), ['x.ts:2 exports', 'x.ts:2 require', 'x.ts:3 module']);
  assert.deepEqual(shadowingBindings(path.join(root, 'y.ts'), 'const o = { exports: 1 }; o.exports;\n'), []);
});

test('no source file of the built library binds exports, require or module', () => {
  const files = ['src', 'kernel', 'scripts'].flatMap((dir) => sourceFiles(path.join(root, dir)));
  assert.ok(files.length > 50, `expected the library's sources, found ${files.length} files`);
  const found = files.flatMap((file) => shadowingBindings(file, fs.readFileSync(file, 'utf8')));
  assert.deepEqual(found, [], `these bindings shadow CommonJS names in tsc's output; rename them:\n${found.join('\n')}`);
});
