/**
 * Characters no text input may hold (this module imports nothing, so the CLI checks import files
 * by the same rule as the subgraphs): the C0 controls except tab, line feed and carriage return
 * (goals, summaries and addresses are legitimately multi-line), DEL, and UTF-16 surrogates that
 * are not half of a pair. PostgreSQL refuses NUL in text outright (the driver fails with "invalid
 * message format", which would surface as an internal error), and a lone surrogate has no UTF-8
 * form: the driver would silently store U+FFFD instead.
 */
const FORBIDDEN_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|\p{Cs}/u;

export interface ForbiddenCharacter {
  /** The character's code point (a lone surrogate's own value). */
  codePoint: number;
  /** Its UTF-16 offset in the text. */
  index: number;
}

/** The first character of `text` no input may hold, if any. */
export function forbiddenCharacterIn(text: string): ForbiddenCharacter | undefined {
  const match = FORBIDDEN_CHARACTER.exec(text);
  return match ? { codePoint: match[0].codePointAt(0)!, index: match.index } : undefined;
}

export function describeCharacter(character: ForbiddenCharacter): string {
  const code = `U+${character.codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  const kind = character.codePoint >= 0xd800 && character.codePoint <= 0xdfff ? 'an unpaired surrogate' : 'a control character';
  return `${code} (${kind}) at character ${character.index + 1}`;
}
