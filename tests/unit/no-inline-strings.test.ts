import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * What Pulse shows the CS team comes from the catalogues (src/i18n), never from a literal in a block
 * builder, a command, a button's or modal's handler or an event's: a sentence written inline would reach a
 * Portuguese reader in English. This reads every string and template literal of src/slack/blocks,
 * commands, actions and events and fails on one that
 * reads as words (two words in a row, or a capitalised word), once what is not language is taken out:
 * emoji codes (`:tada:`), Slack's `<…>` tokens, `inline code` (the /cs grammar, keys) and placeholders.
 * Literals that never reach a person are skipped by where they stand: imports, types, object keys,
 * comparisons, log lines (a logger's, and a click handler's `failure`), errors, Luxon formats.
 */
const ROOTS = ['src/slack/blocks', 'src/slack/commands', 'src/slack/actions', 'src/slack/events'];

const NOT_LANGUAGE = [
  /:[a-z0-9_+'-]+:/g, // emoji
  /<[^<>]*>/g, // Slack's mentions, channels, dates, links
  /`[^`]*`/g, // inline code: the grammar, keys, IDs
  /\bPulse\b/g, // the product's name is the same in every language
];
const WORDS = [/\p{L}{2,}[,;:!?]?\s+\p{L}{2,}/u, /(^|[^\p{L}])\p{Lu}\p{Ll}{2,}/u];

function readsAsWords(text: string): boolean {
  let rest = text;
  for (const pattern of NOT_LANGUAGE) rest = rest.replace(pattern, ' ');
  return WORDS.some((pattern) => pattern.test(rest));
}

const LOGGER_METHODS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);
const COMPARISONS = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

/** Whether the literal at this place can never reach a person. */
function neverShown(node: ts.Node): boolean {
  const parent = node.parent;
  if (ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent)) return true;
  if (ts.isLiteralTypeNode(parent)) return true;
  if (ts.isPropertyAssignment(parent) && parent.name === node) return true;
  // onClick's `failure` is the log line of a failed click; the person reads click.failure.
  if (ts.isPropertyAssignment(parent) && parent.name.getText() === 'failure') return true;
  if (ts.isElementAccessExpression(parent)) return true;
  if (ts.isCaseClause(parent)) return true;
  if (ts.isBinaryExpression(parent) && COMPARISONS.has(parent.operatorToken.kind)) return true;
  if (
    ts.isNewExpression(parent) &&
    ts.isIdentifier(parent.expression) &&
    parent.expression.text === 'Error'
  ) {
    return true;
  }
  if (ts.isCallExpression(parent) && ts.isPropertyAccessExpression(parent.expression)) {
    const method = parent.expression.name.text;
    if (LOGGER_METHODS.has(method) && /logger/i.test(parent.expression.expression.getText())) return true;
    if (method === 'toFormat') return true;
  }
  return false;
}

/** The text of a literal, each `${…}` replaced by a space: no word. */
function literalText(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) {
    return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(' ');
  }
  return undefined;
}

/** Every literal of the file that reads as words and may be shown: `line: text`. */
function inlineStrings(path: string, source: string): string[] {
  const file = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    const text = literalText(node);
    if (text !== undefined) {
      if (!neverShown(node) && readsAsWords(text)) {
        found.push(`${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${text}`);
      }
      // A template's `${…}` can hold literals of its own.
      if (!ts.isTemplateExpression(node)) return;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

const files = ROOTS.flatMap((root) =>
  readdirSync(root)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(root, name)),
);

describe('no user-visible string outside the catalogues', () => {
  it.each(files)('%s', (path) => {
    expect(inlineStrings(path, readFileSync(path, 'utf8'))).toEqual([]);
  });

  it('catches sentences, labels and words in templates; lets emoji, tokens, code and IDs through', () => {
    const found = (source: string) => inlineStrings('x.ts', source);
    expect(found("const a = { text: 'No accounts yet.' };")).toHaveLength(1);
    expect(found("const a = { text: { type: 'plain_text', text: 'Cancel' } };")).toHaveLength(1);
    expect(found(`const a = (n: number) => \`\${n} open flags\`;`)).toHaveLength(1);
    expect(found(`const a = \`*Owner*\\n\${x}\`;`)).toHaveLength(1);
    expect(
      found("const a = { type: 'section', action_id: 'milestone_add_to_plan', emoji: ':tada:' };"),
    ).toEqual([]);
    expect(found(`const a = \`\${emoji} *\${name}* \\\`\${key}\\\` <@\${user}>\`;`)).toEqual([]);
    expect(
      found("import { x } from './Some Module.ts'; logger.warn({}, 'Opening the modal failed');"),
    ).toEqual([]);
    expect(
      found("onClick(deps, access, { need: 'read', failure: 'Turning the page failed' }, work);"),
    ).toEqual([]);
    expect(
      found("const a = t(locale, 'cs.help.text'); if (kind === 'Not Shown') throw new Error('Bad thing');"),
    ).toEqual([]);
  });
});
