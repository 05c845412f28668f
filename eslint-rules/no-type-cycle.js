// import-x/no-cycle skips `import type` by design (types vanish at compile time), yet a cycle
// closed by a type is still a knot in the structure: the SecretCodec one ran through eight files
// of the core that way. This rule reports exactly those cycles (with at least one type-only
// import on the way); import-x/no-cycle keeps reporting the all-value ones.
import { statSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';

const SUFFIXES = ['', '.ts', '.tsx', '.js', '.mjs', '/index.ts', '/index.tsx'];

function resolveSpecifier(from, specifier) {
  if (!specifier.startsWith('.')) return undefined; // packages cannot import us back
  const base = resolve(dirname(from), specifier);
  for (const suffix of SUFFIXES) {
    try {
      if (statSync(base + suffix).isFile()) return base + suffix;
    } catch {
      // try the next form
    }
  }
  return undefined;
}

const allTypes = (elements) => elements.length > 0 && elements.every((e) => e.isTypeOnly);

/** A file's relative imports and re-exports read from disk, each marked type-only or not; cached by mtime. */
const cache = new Map();
function importsOf(file) {
  let mtime;
  try {
    mtime = statSync(file).mtimeMs;
  } catch {
    return [];
  }
  const hit = cache.get(file);
  if (hit && hit.mtime === mtime) return hit.edges;
  const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : file.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, kind);
  const edges = [];
  for (const st of source.statements) {
    let specifier;
    let typeOnly = false;
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      specifier = st.moduleSpecifier.text;
      const clause = st.importClause;
      typeOnly = Boolean(
        clause && (clause.isTypeOnly || (!clause.name && clause.namedBindings && ts.isNamedImports(clause.namedBindings) && allTypes(clause.namedBindings.elements))),
      );
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) {
      specifier = st.moduleSpecifier.text;
      typeOnly = st.isTypeOnly || Boolean(st.exportClause && ts.isNamedExports(st.exportClause) && allTypes(st.exportClause.elements));
    }
    const to = specifier && resolveSpecifier(file, specifier);
    if (to) edges.push({ to, typeOnly });
  }
  cache.set(file, { mtime, edges });
  return edges;
}

/** The shortest route from `start` back to `target`, over value imports only or over all of them. */
function routeBack(start, target, valuesOnly) {
  const seen = new Set([start]);
  const queue = [[start]];
  while (queue.length) {
    const route = queue.shift();
    for (const edge of importsOf(route[route.length - 1])) {
      if (valuesOnly && edge.typeOnly) continue;
      if (edge.to === target) return route;
      if (seen.has(edge.to)) continue;
      seen.add(edge.to);
      queue.push([...route, edge.to]);
    }
  }
  return undefined;
}

const estreeTypeOnly = (node) =>
  node.importKind === 'type' ||
  node.exportKind === 'type' ||
  (node.type === 'ImportDeclaration' && node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === 'type')) ||
  (node.type === 'ExportNamedDeclaration' && node.specifiers.length > 0 && node.specifiers.every((s) => s.exportKind === 'type'));

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid import cycles that type-only imports close (import-x/no-cycle reports the others)' },
    schema: [],
    messages: { cycle: 'Import cycle through a type-only import: {{route}}. Declare the type beside its owner, where both sides can import it.' },
  },
  create(context) {
    const filename = context.physicalFilename;
    if (!filename || filename === '<text>') return {};
    const check = (node) => {
      if (!node.source || typeof node.source.value !== 'string') return;
      const to = resolveSpecifier(filename, node.source.value);
      if (!to || to === filename) return;
      const route = routeBack(to, filename, false);
      if (!route) return;
      // An all-value cycle is import-x's to report; report here only what it skips.
      if (!estreeTypeOnly(node) && routeBack(to, filename, true)) return;
      const names = [filename, ...route, filename].map((f) => relative(context.cwd, f));
      context.report({ node, messageId: 'cycle', data: { route: names.join(' → ') } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};
