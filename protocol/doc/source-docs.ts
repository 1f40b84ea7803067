import { readFileSync } from 'node:fs';
import ts from 'typescript';

/**
 * The JSDoc line of every top-level `export const` in a source file, and of
 * every property of a top-level object literal (`CloseCode.Normal`). Codes
 * and limits are documented once, in their source; the protocol doc reads
 * them from there so it cannot disagree.
 */
export function sourceDocs(file: string): Map<string, string> {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const out = new Map<string, string>();
  const docOf = (node: ts.Node): string | undefined => {
    const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
    const text = docs.map((d) => ts.getTextOfJSDocComment(d.comment) ?? '').join(' ');
    return text.replace(/\s+/g, ' ').trim() || undefined;
  };
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const decl of st.declarationList.declarations) {
      if (!ts.isIdentifier(decl.name)) continue;
      const name = decl.name.text;
      const doc = docOf(decl) ?? docOf(st);
      if (doc) out.set(name, doc);
      let init = decl.initializer;
      while (init && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init))) init = init.expression;
      if (init && ts.isObjectLiteralExpression(init)) {
        for (const prop of init.properties) {
          if (!ts.isPropertyAssignment(prop) || !(ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name))) continue;
          const pdoc = docOf(prop);
          if (pdoc) out.set(`${name}.${prop.name.text}`, pdoc);
        }
      }
    }
  }
  return out;
}
