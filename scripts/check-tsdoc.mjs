#!/usr/bin/env node
// Every function, class and constant a package exports from a public entry carries TSDoc with an
// `@example` (what an editor shows a user on hover). Reads the built declarations (`dist/*.d.ts`)
// of every entry in each package's `exports` with the workspace's TypeScript, follows re-exports to
// the declaration, and prints the exports that have none. Types and interfaces are not counted
// (their fields carry the docs); nor are the `/internals` entries, which say they are not a stable
// API (the CLI, benchmarks and tests use them). Run by scripts/test.sh after the build:
//
//   node scripts/check-tsdoc.mjs          → "tsdoc: N exports, all with @example" or the list; exit 1
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ts = createRequire(join(root, 'packages/core/package.json'))('typescript');

const PACKAGES = ['core', 'vision', 'audio', 'text', 'optimize', 'cli'];

const entries = [];
for (const name of PACKAGES) {
  const dir = join(root, 'packages', name);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  for (const [sub, target] of Object.entries(pkg.exports ?? {})) {
    const types = typeof target === 'object' ? target?.types : undefined;
    if (!types?.endsWith('.d.ts') || sub.endsWith('/internals')) continue;
    const file = join(dir, types);
    if (!existsSync(file)) {
      console.error(`tsdoc: ${pkg.name}: ${types} is missing (build the packages first)`);
      process.exit(1);
    }
    entries.push({ entry: `${pkg.name}${sub === '.' ? '' : sub.slice(1)}`, file });
  }
}

const program = ts.createProgram(
  entries.map((e) => e.file),
  {
    skipLibCheck: true,
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
  },
);
const checker = program.getTypeChecker();
const VALUE = ts.SymbolFlags.Function | ts.SymbolFlags.Class | ts.SymbolFlags.Variable | ts.SymbolFlags.Enum;

/** The node a declaration's doc comment is attached to (a `const` is documented on its statement). */
const documented = (decl) =>
  ts.isVariableDeclaration(decl) && decl.parent?.parent ? decl.parent.parent : decl;

const missing = [];
const seen = new Set();
let counted = 0;
for (const { entry, file } of entries) {
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(file));
  if (!moduleSymbol) continue;
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (!(symbol.flags & VALUE)) continue;
    const decls = symbol.declarations ?? [];
    if (!decls.length) continue;
    const key = `${decls[0].getSourceFile().fileName}:${decls[0].pos}`;
    if (seen.has(key)) continue;
    seen.add(key);
    counted++;
    // Any declaration (an overload, a class or its merged namespace) with an @example will do.
    const hasExample = decls.some((d) =>
      ts.getJSDocTags(documented(d)).some((tag) => tag.tagName.text === 'example'),
    );
    if (!hasExample) missing.push(`${entry}: ${exported.name}`);
  }
}

if (missing.length) {
  console.log(`tsdoc: ${missing.length} of ${counted} exported values have no @example:`);
  for (const m of missing) console.log(`  ${m}`);
  process.exit(1);
}
console.log(`tsdoc: ${counted} exported values, all with @example`);
