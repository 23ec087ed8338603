import { describe, expect, it } from 'vitest';
import { parse, type OperationDefinitionNode } from 'graphql';
import { findForbiddenText, forbiddenCharacterIn } from '../subgraphs/kit/index.js';
import { mayHoldForbiddenText } from '../subgraphs/kit/input-text.js';
import { parseSource } from '../scripts/hub/source.js';

describe('the characters text input may not hold', () => {
  it('refuses C0 controls but tab, line feed and carriage return; and DEL', () => {
    for (let code = 0; code < 0x20; code++) {
      const allowed = code === 0x09 || code === 0x0a || code === 0x0d;
      expect(forbiddenCharacterIn(`ab${String.fromCharCode(code)}c`), `U+${code.toString(16)}`)
        .toEqual(allowed ? undefined : { codePoint: code, index: 2 });
    }
    expect(forbiddenCharacterIn('\u007f')).toEqual({ codePoint: 0x7f, index: 0 });
  });

  it('refuses unpaired surrogates and takes pairs (emoji) and every other character', () => {
    expect(forbiddenCharacterIn('a\ud83d')).toEqual({ codePoint: 0xd83d, index: 1 });
    expect(forbiddenCharacterIn('\ude00a')).toEqual({ codePoint: 0xde00, index: 0 });
    expect(forbiddenCharacterIn('😀\ude00😀')).toEqual({ codePoint: 0xde00, index: 2 });
    for (const text of ['😀 👨‍👩‍👧‍👦 🏳️‍🌈', 'Groß-Gerau äöü ÄÖÜ', ' ~', '\u0080\u009f\u00a0', '\u200b\u202e\ufeff\uffff', 'Zeile\r\nZeile\tTab']) {
      expect(forbiddenCharacterIn(text), JSON.stringify(text)).toBeUndefined();
    }
  });
});

describe('finding refused text in an operation', () => {
  const find = (query: string, variables: Record<string, unknown> = {}) => {
    const document = parse(query);
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
    const found = findForbiddenText(document, operation, variables);
    return found && { field: found.field, owner: found.owner, index: found.character.index };
  };

  it('names the argument path of a literal, through input objects and lists', () => {
    expect(find('mutation { importAlliances(input: { region: SL, rows: [{ line: 2, name: "a" }, { line: 3, name: "b\\u0000" }] }) { created } }'))
      .toEqual({ field: 'input.rows.1.name', owner: 'importAlliances', index: 1 });
  });

  it('names the argument path of a variable\'s value, whatever the variable is called', () => {
    expect(find('query($f: AllianceFilter) { a: alliances(filter: $f) { totalCount } }', { f: { text: 'x\u0001' } }))
      .toEqual({ field: 'filter.text', owner: 'alliances', index: 1 });
    expect(find('query($t: String) { alliances(filter: { text: $t }) { totalCount } }', { t: 'x\u0001' }))
      .toEqual({ field: 'filter.text', owner: 'alliances', index: 1 });
  });

  it('looks into nested fields, fragments and directives', () => {
    expect(find('{ alliance(id: "SL:alliance:x") { ...m } } fragment m on Alliance { memberships(after: "\\u0000") { id } }'))
      .toEqual({ field: 'after', owner: 'memberships', index: 0 });
    expect(find('query($s: String) { alliances { totalCount @skip(if: false) @deprecated(reason: $s) } }', { s: '\u0000' }))
      .toEqual({ field: 'reason', owner: '@deprecated', index: 0 });
  });

  it('finds nothing in clean operations, nor in variables the operation does not declare', () => {
    expect(find('query($t: String) { alliances(filter: { text: $t }) { totalCount } }', { t: 'Zeile\nZeile', other: '\u0000' })).toBeUndefined();
    expect(find('{ alliances(first: 5, filter: { regions: [SL] }) { totalCount } }')).toBeUndefined();
  });
});

describe('import files with text the API refuses', () => {
  it('names the line and column of each such row and keeps the others', () => {
    const csv = 'Region,Name,Ziele\nSL,Bündnis Eins,\nSL,Bündnis\u0000Zwei,\nSL,Bündnis Drei,"Zeile\nZeile\u0007"\n';
    const source = parseSource('alliances', csv, 'csv');
    expect(source.rows.map((r) => r.values.name)).toEqual(['Bündnis Eins']);
    expect(source.problems).toEqual([
      { line: 3, field: 'name', message: 'name contains U+0000 (a control character) at character 8, which no text may hold' },
      { line: 4, field: 'goals', message: 'goals contains U+0007 (a control character) at character 12, which no text may hold' },
    ]);
    const json = parseSource('alliances', '[\n{"region":"SL","name":"a"},\n{"region":"S\\u0000L","name":"b"}\n]', 'json');
    expect(json.problems).toEqual([{ line: 3, field: 'region', message: 'region contains U+0000 (a control character) at character 2, which no text may hold' }]);
  });
});

describe('requests that cannot hold a forbidden character', () => {
  it('are told apart without walking the document: no escape or forbidden character in the text, none in any variable', () => {
    expect(mayHoldForbiddenText('{ alliances(filter: { text: "Familie" }) { totalCount } }', { a: ['Zell', { b: 'ok' }] })).toBe(false);
    expect(mayHoldForbiddenText('{ alliance(id: "SL:alliance:\\u0000") { id } }', {})).toBe(true);
    expect(mayHoldForbiddenText('{ alliance(id: "SL:\u0007") { id } }', {})).toBe(true);
    expect(mayHoldForbiddenText('query($i: In!) { a(i: $i) }', { i: { rows: [{ name: 'ok' }, { name: 'b\u0000d' }] } })).toBe(true);
    expect(mayHoldForbiddenText('query($i: In!) { a(i: $i) }', { i: '\ud800' })).toBe(true);
  });
});
