import { foldAccents } from './normalise.ts';

/*
 * Phonetic codes for names, computed in TypeScript because PostgreSQL's daitch_mokotoff() needs version 16 and the
 * project supports 15 (and fuzzystrmatch's dmetaphone is not available on every engine). Codes are stored beside
 * each name so blocking can use plain equality lookups.
 */

// ---------------------------------------------------------------------------------------------------------------
// Double Metaphone
// ---------------------------------------------------------------------------------------------------------------

/** A Double Metaphone result: the primary code and the alternate (equal to the primary when there is no variant). */
export type DoubleMetaphoneCodes = { primary: string; alternate: string };

/**
 * Lawrence Philips' Double Metaphone (C/C++ Users Journal, June 2000): primary and alternate codes, each cut to
 * `maxLength` characters (4, as published). "0" stands for "th", "X" for "sh"/"ch". The rules are those of the
 * published algorithm for every letter, including its Germanic, Slavic, Italian, Spanish, French and Greek special
 * cases; the input is first folded to ASCII (Ç is read as C-with-S-sound and Ñ as N before folding).
 *
 * As published, the P in Thompson is sounded: Thompson → TMPS, Thomson → TMSN.
 *
 * Simplifications: Philips' C++ pads the word with spaces so rules can look past its end; here a look-up past the end
 * finds nothing and the few rules that test for a following space also accept the end of the word. Apostrophes are
 * removed and other non-letters read as spaces (the "VAN ", "SAN " rules need them). Code each part of a name
 * separately (`nameParts` in normalise.ts) for blocking keys.
 */
export function doubleMetaphone(name: string, maxLength = 4): DoubleMetaphoneCodes {
  const prepared = foldAccents(name.toUpperCase().replaceAll('Ç', 'S').replaceAll('Ñ', 'N'))
    .toUpperCase()
    .replace(/['\u2019`]/g, '')
    .replace(/[^A-Z]+/g, ' ')
    .trim();
  return new DoubleMetaphoneEncoder(prepared, maxLength).encode();
}

class DoubleMetaphoneEncoder {
  private readonly word: string;
  private readonly length: number;
  private readonly last: number;
  private readonly maxLength: number;
  private readonly slavoGermanic: boolean;
  private primary = '';
  private alternate = '';

  constructor(word: string, maxLength: number) {
    this.word = word;
    this.length = word.length;
    this.last = word.length - 1;
    this.maxLength = maxLength;
    this.slavoGermanic = /W|K|CZ|WITZ/.test(word);
  }

  private at(index: number): string {
    return index >= 0 && index < this.length ? this.word[index]! : '';
  }

  /** True when the `length` characters from `start` are one of `options` (never for a start before the word). */
  private is(start: number, length: number, ...options: string[]): boolean {
    if (start < 0) return false;
    const slice = this.word.slice(start, start + length);
    return slice.length === length && options.includes(slice);
  }

  private vowel(index: number): boolean {
    return 'AEIOUY'.includes(this.at(index)) && this.at(index) !== '';
  }

  private add(primary: string, alternate: string = primary): void {
    this.primary += primary;
    this.alternate += alternate;
  }

  encode(): DoubleMetaphoneCodes {
    let i = 0;
    if (this.is(0, 2, 'GN', 'KN', 'PN', 'WR', 'PS')) i = 1;
    if (this.at(0) === 'X') {
      this.add('S');
      i = 1;
    }
    while ((this.primary.length < this.maxLength || this.alternate.length < this.maxLength) && i < this.length) {
      i = this.step(i);
    }
    return { primary: this.primary.slice(0, this.maxLength), alternate: this.alternate.slice(0, this.maxLength) };
  }

  /** Codes the letter at `i` and answers where to continue. */
  private step(i: number): number {
    const c = this.at(i);
    const next = this.at(i + 1);
    switch (c) {
      case 'A':
      case 'E':
      case 'I':
      case 'O':
      case 'U':
      case 'Y':
        if (i === 0) this.add('A');
        return i + 1;
      case 'B':
        this.add('P');
        return next === 'B' ? i + 2 : i + 1;
      case 'C':
        return this.letterC(i);
      case 'D':
        if (this.is(i, 2, 'DG')) {
          if (this.is(i + 2, 1, 'I', 'E', 'Y')) {
            this.add('J'); // "edge"
            return i + 3;
          }
          this.add('TK'); // "edgar"
          return i + 2;
        }
        this.add('T');
        return this.is(i, 2, 'DT', 'DD') ? i + 2 : i + 1;
      case 'F':
        this.add('F');
        return next === 'F' ? i + 2 : i + 1;
      case 'G':
        return this.letterG(i);
      case 'H':
        // Only kept between vowels or at the start before a vowel.
        if ((i === 0 || this.vowel(i - 1)) && this.vowel(i + 1)) {
          this.add('H');
          return i + 2;
        }
        return i + 1;
      case 'J':
        return this.letterJ(i);
      case 'K':
        this.add('K');
        return next === 'K' ? i + 2 : i + 1;
      case 'L':
        if (next === 'L') {
          // Spanish "cabrillo", "gallegos": the double L is silent in the alternate.
          if (
            (i === this.length - 3 && this.is(i - 1, 4, 'ILLO', 'ILLA', 'ALLE')) ||
            ((this.is(this.last - 1, 2, 'AS', 'OS') || this.is(this.last, 1, 'A', 'O')) && this.is(i - 1, 4, 'ALLE'))
          ) {
            this.add('L', '');
            return i + 2;
          }
          this.add('L');
          return i + 2;
        }
        this.add('L');
        return i + 1;
      case 'M':
        this.add('M');
        // "dumb", "thumb"
        if ((this.is(i - 1, 3, 'UMB') && (i + 1 === this.last || this.is(i + 2, 2, 'ER'))) || next === 'M') {
          return i + 2;
        }
        return i + 1;
      case 'N':
        this.add('N');
        return next === 'N' ? i + 2 : i + 1;
      case 'P':
        if (next === 'H') {
          this.add('F');
          return i + 2;
        }
        this.add('P'); // "campbell", "raspberry"
        return this.is(i + 1, 1, 'P', 'B') ? i + 2 : i + 1;
      case 'Q':
        this.add('K');
        return next === 'Q' ? i + 2 : i + 1;
      case 'R':
        // French "rogier": a final R is silent in the primary.
        if (i === this.last && !this.slavoGermanic && this.is(i - 2, 2, 'IE') && !this.is(i - 4, 2, 'ME', 'MA')) {
          this.add('', 'R');
        } else {
          this.add('R');
        }
        return next === 'R' ? i + 2 : i + 1;
      case 'S':
        return this.letterS(i);
      case 'T':
        return this.letterT(i);
      case 'V':
        this.add('F');
        return next === 'V' ? i + 2 : i + 1;
      case 'W':
        return this.letterW(i);
      case 'X':
        // French "breaux": a final X after -IAU, -EAU, -AU, -OU is silent.
        if (!(i === this.last && (this.is(i - 3, 3, 'IAU', 'EAU') || this.is(i - 2, 2, 'AU', 'OU')))) {
          this.add('KS');
        }
        return this.is(i + 1, 1, 'C', 'X') ? i + 2 : i + 1;
      case 'Z':
        if (next === 'H') {
          this.add('J'); // Chinese pinyin "zhao"
          return i + 2;
        }
        if (this.is(i + 1, 2, 'ZO', 'ZI', 'ZA') || (this.slavoGermanic && i > 0 && this.at(i - 1) !== 'T')) {
          this.add('S', 'TS');
        } else {
          this.add('S');
        }
        return next === 'Z' ? i + 2 : i + 1;
      default:
        return i + 1;
    }
  }

  private letterC(i: number): number {
    // Germanic "bacher", "macher".
    if (
      i > 1 &&
      !this.vowel(i - 2) &&
      this.is(i - 1, 3, 'ACH') &&
      this.at(i + 2) !== 'I' &&
      (this.at(i + 2) !== 'E' || this.is(i - 2, 6, 'BACHER', 'MACHER'))
    ) {
      this.add('K');
      return i + 2;
    }
    if (i === 0 && this.is(i, 6, 'CAESAR')) {
      this.add('S');
      return i + 2;
    }
    if (this.is(i, 4, 'CHIA')) {
      this.add('K'); // Italian "chianti"
      return i + 2;
    }
    if (this.is(i, 2, 'CH')) {
      if (i > 0 && this.is(i, 4, 'CHAE')) {
        this.add('K', 'X'); // "michael"
        return i + 2;
      }
      // Greek roots at the start: "character", "charisma", "chorus", "chemistry", but not "chore".
      if (
        i === 0 &&
        (this.is(i + 1, 5, 'HARAC', 'HARIS') || this.is(i + 1, 3, 'HOR', 'HYM', 'HIA', 'HEM')) &&
        !this.is(0, 5, 'CHORE')
      ) {
        this.add('K');
        return i + 2;
      }
      // Germanic, Greek and -CHT-, -CHS- words: "orchestra", "architect", "school", "wachtler", "mcHugh".
      if (
        this.is(0, 4, 'VAN ', 'VON ') ||
        this.is(0, 3, 'SCH') ||
        this.is(i - 2, 6, 'ORCHES', 'ARCHIT', 'ORCHID') ||
        this.is(i + 2, 1, 'T', 'S') ||
        ((this.is(i - 1, 1, 'A', 'O', 'U', 'E') || i === 0) &&
          (this.is(i + 2, 1, 'L', 'R', 'N', 'M', 'B', 'H', 'F', 'V', 'W', ' ') || i + 2 >= this.length))
      ) {
        this.add('K');
      } else if (i > 0) {
        if (this.is(0, 2, 'MC')) this.add('K');
        else this.add('X', 'K');
      } else {
        this.add('X');
      }
      return i + 2;
    }
    if (this.is(i, 2, 'CZ') && !this.is(i - 2, 4, 'WICZ')) {
      this.add('S', 'X'); // "czerny"
      return i + 2;
    }
    if (this.is(i + 1, 3, 'CIA')) {
      this.add('X'); // "focaccia"
      return i + 3;
    }
    // Double C, but not "McClellan".
    if (this.is(i, 2, 'CC') && !(i === 1 && this.at(0) === 'M')) {
      if (this.is(i + 2, 1, 'I', 'E', 'H') && !this.is(i + 2, 2, 'HU')) {
        // "accident", "accede", "succeed" — but "bacci", "bertucci" are X.
        if ((i === 1 && this.at(i - 1) === 'A') || this.is(i - 1, 5, 'UCCEE', 'UCCES')) this.add('KS');
        else this.add('X');
        return i + 3;
      }
      this.add('K'); // Pierce's rule
      return i + 2;
    }
    if (this.is(i, 2, 'CK', 'CG', 'CQ')) {
      this.add('K');
      return i + 2;
    }
    if (this.is(i, 2, 'CI', 'CE', 'CY')) {
      if (this.is(i, 3, 'CIO', 'CIE', 'CIA'))
        this.add('S', 'X'); // Italian
      else this.add('S');
      return i + 2;
    }
    this.add('K');
    if (this.is(i + 1, 2, ' C', ' Q', ' G')) return i + 3; // "mac caffrey", "mac gregor"
    if (this.is(i + 1, 1, 'C', 'K', 'Q') && !this.is(i + 1, 2, 'CE', 'CI')) return i + 2;
    return i + 1;
  }

  private letterG(i: number): number {
    const next = this.at(i + 1);
    if (next === 'H') {
      if (i > 0 && !this.vowel(i - 1)) {
        this.add('K');
        return i + 2;
      }
      if (i === 0) {
        // "ghislane", "ghiradelli"
        this.add(this.at(i + 2) === 'I' ? 'J' : 'K');
        return i + 2;
      }
      // Parker's rule (with refinements): "hugh", "bough", "broughton" — silent.
      if (
        (i > 1 && this.is(i - 2, 1, 'B', 'H', 'D')) ||
        (i > 2 && this.is(i - 3, 1, 'B', 'H', 'D')) ||
        (i > 3 && this.is(i - 4, 1, 'B', 'H'))
      ) {
        return i + 2;
      }
      // "laugh", "McLaughlin", "cough", "gough", "rough", "tough" — F.
      if (i > 2 && this.at(i - 1) === 'U' && this.is(i - 3, 1, 'C', 'G', 'L', 'R', 'T')) {
        this.add('F');
      } else if (i > 0 && this.at(i - 1) !== 'I') {
        this.add('K');
      }
      return i + 2;
    }
    if (next === 'N') {
      if (i === 1 && this.vowel(0) && !this.slavoGermanic) {
        this.add('KN', 'N');
      } else if (!this.is(i + 2, 2, 'EY') && this.at(i + 1) !== 'Y' && !this.slavoGermanic) {
        this.add('N', 'KN'); // not e.g. "cagney"
      } else {
        this.add('KN');
      }
      return i + 2;
    }
    if (this.is(i + 1, 2, 'LI') && !this.slavoGermanic) {
      this.add('KL', 'L'); // "tagliaro"
      return i + 2;
    }
    // -GES-, -GEP-, -GEL-, -GIE- at the start.
    if (
      i === 0 &&
      (next === 'Y' || this.is(i + 1, 2, 'ES', 'EP', 'EB', 'EL', 'EY', 'IB', 'IL', 'IN', 'IE', 'EI', 'ER'))
    ) {
      this.add('K', 'J');
      return i + 2;
    }
    // -GER-, -GY-
    if (
      (this.is(i + 1, 2, 'ER') || next === 'Y') &&
      !this.is(0, 6, 'DANGER', 'RANGER', 'MANGER') &&
      !this.is(i - 1, 1, 'E', 'I') &&
      !this.is(i - 1, 3, 'RGY', 'OGY')
    ) {
      this.add('K', 'J');
      return i + 2;
    }
    // Italian "biaggi"
    if (this.is(i + 1, 1, 'E', 'I', 'Y') || this.is(i - 1, 4, 'AGGI', 'OGGI')) {
      if (this.is(0, 4, 'VAN ', 'VON ') || this.is(0, 3, 'SCH') || this.is(i + 1, 2, 'ET')) {
        this.add('K'); // obvious Germanic
      } else if (this.is(i + 1, 4, 'IER ') || (this.is(i + 1, 3, 'IER') && i + 3 === this.length)) {
        this.add('J');
      } else {
        this.add('J', 'K');
      }
      return i + 2;
    }
    this.add('K');
    return next === 'G' ? i + 2 : i + 1;
  }

  private letterJ(i: number): number {
    // Spanish "jose", "san jacinto"
    if (this.is(i, 4, 'JOSE') || this.is(0, 4, 'SAN ')) {
      if ((i === 0 && (this.at(i + 4) === ' ' || i + 4 === this.length)) || this.is(0, 4, 'SAN ')) {
        this.add('H');
      } else {
        this.add('J', 'H');
      }
      return i + 1;
    }
    if (i === 0 && !this.is(i, 4, 'JOSE')) {
      this.add('J', 'A'); // "Yankelovich" / "Jankelowicz"
    } else if (this.vowel(i - 1) && !this.slavoGermanic && (this.at(i + 1) === 'A' || this.at(i + 1) === 'O')) {
      this.add('J', 'H'); // Spanish pronunciation of e.g. "bajador"
    } else if (i === this.last) {
      this.add('J', '');
    } else if (!this.is(i + 1, 1, 'L', 'T', 'K', 'S', 'N', 'M', 'B', 'Z') && !this.is(i - 1, 1, 'S', 'K', 'L')) {
      this.add('J');
    }
    return this.at(i + 1) === 'J' ? i + 2 : i + 1;
  }

  private letterS(i: number): number {
    if (this.is(i - 1, 3, 'ISL', 'YSL')) return i + 1; // "island", "isle", "carlisle", "carlysle"
    if (i === 0 && this.is(i, 5, 'SUGAR')) {
      this.add('X', 'S');
      return i + 1;
    }
    if (this.is(i, 2, 'SH')) {
      // Germanic "holm", "holz", "heim", "hoek"
      this.add(this.is(i + 1, 4, 'HEIM', 'HOEK', 'HOLM', 'HOLZ') ? 'S' : 'X');
      return i + 2;
    }
    // Italian and Armenian "sio", "sia", "sian"
    if (this.is(i, 3, 'SIO', 'SIA') || this.is(i, 4, 'SIAN')) {
      if (this.slavoGermanic) this.add('S');
      else this.add('S', 'X');
      return i + 3;
    }
    // German and anglicisations: "smith" / "schmidt", "snider" / "schneider"; also -SZ- in Slavic languages.
    if ((i === 0 && this.is(i + 1, 1, 'M', 'N', 'L', 'W')) || this.is(i + 1, 1, 'Z')) {
      this.add('S', 'X');
      return this.is(i + 1, 1, 'Z') ? i + 2 : i + 1;
    }
    if (this.is(i, 2, 'SC')) {
      if (this.at(i + 2) === 'H') {
        // Dutch "schooner", "schermerhorn", "schenker"
        if (this.is(i + 3, 2, 'OO', 'ER', 'EN', 'UY', 'ED', 'EM')) {
          if (this.is(i + 3, 2, 'ER', 'EN')) this.add('X', 'SK');
          else this.add('SK');
          return i + 3;
        }
        if (i === 0 && !this.vowel(3) && this.at(3) !== 'W') this.add('X', 'S');
        else this.add('X');
        return i + 3;
      }
      if (this.is(i + 2, 1, 'I', 'E', 'Y')) {
        this.add('S');
        return i + 3;
      }
      this.add('SK');
      return i + 3;
    }
    // French "resnais", "artois"
    if (i === this.last && this.is(i - 2, 2, 'AI', 'OI')) this.add('', 'S');
    else this.add('S');
    return this.is(i + 1, 1, 'S', 'Z') ? i + 2 : i + 1;
  }

  private letterT(i: number): number {
    if (this.is(i, 4, 'TION')) {
      this.add('X');
      return i + 3;
    }
    if (this.is(i, 3, 'TIA', 'TCH')) {
      this.add('X');
      return i + 3;
    }
    if (this.is(i, 2, 'TH') || this.is(i, 3, 'TTH')) {
      // "thomas", "thames", or Germanic
      if (this.is(i + 2, 2, 'OM', 'AM') || this.is(0, 4, 'VAN ', 'VON ') || this.is(0, 3, 'SCH')) this.add('T');
      else this.add('0', 'T');
      return i + 2;
    }
    this.add('T');
    return this.is(i + 1, 1, 'T', 'D') ? i + 2 : i + 1;
  }

  private letterW(i: number): number {
    if (this.is(i, 2, 'WR')) {
      this.add('R'); // "wright"
      return i + 2;
    }
    if (i === 0 && (this.vowel(i + 1) || this.is(i, 2, 'WH'))) {
      // "Wasserman" may be "Vasserman"; "Uomo" / "Womo".
      if (this.vowel(i + 1)) this.add('A', 'F');
      else this.add('A');
    }
    // Polish "filipowicz"; Arnow pronounced both ways.
    if (
      (i === this.last && this.vowel(i - 1)) ||
      this.is(i - 1, 5, 'EWSKI', 'EWSKY', 'OWSKI', 'OWSKY') ||
      this.is(0, 3, 'SCH')
    ) {
      this.add('', 'F');
      return i + 1;
    }
    if (this.is(i, 4, 'WICZ', 'WITZ')) {
      this.add('TS', 'FX'); // Polish "filipowicz"
      return i + 4;
    }
    return i + 1;
  }
}

/** Both Double Metaphone codes of a name, without duplicates or empties: the values to store and block on. */
export function doubleMetaphoneKeys(name: string): string[] {
  const { primary, alternate } = doubleMetaphone(name);
  return [...new Set([primary, alternate])].filter((code) => code !== '');
}

// ---------------------------------------------------------------------------------------------------------------
// Daitch-Mokotoff Soundex
// ---------------------------------------------------------------------------------------------------------------

/**
 * The Daitch-Mokotoff coding chart (Gary Mokotoff, Randy Daitch; as published by Avotaynu and JewishGen): each
 * letter group with its code at the start of the name, before a vowel, and anywhere else. "" is "not coded";
 * alternatives separated by "|" branch the result (C may be K or TS; RZ may be ZH or R-ZH; J may be Y or DZH).
 */
const DM_CHART: readonly (readonly [pattern: string, start: string, beforeVowel: string, other: string])[] = [
  ['schtsch', '2', '4', '4'],
  ['schtsh', '2', '4', '4'],
  ['schtch', '2', '4', '4'],
  ['shtch', '2', '4', '4'],
  ['shtsh', '2', '4', '4'],
  ['stsch', '2', '4', '4'],
  ['ttsch', '4', '4', '4'],
  ['zhdzh', '2', '4', '4'],
  ['shch', '2', '4', '4'],
  ['scht', '2', '43', '43'],
  ['schd', '2', '43', '43'],
  ['stch', '2', '4', '4'],
  ['strz', '2', '4', '4'],
  ['strs', '2', '4', '4'],
  ['stsh', '2', '4', '4'],
  ['szcz', '2', '4', '4'],
  ['szcs', '2', '4', '4'],
  ['ttch', '4', '4', '4'],
  ['tsch', '4', '4', '4'],
  ['ttsz', '4', '4', '4'],
  ['zdzh', '2', '4', '4'],
  ['zsch', '4', '4', '4'],
  ['chs', '5', '54', '54'],
  ['csz', '4', '4', '4'],
  ['czs', '4', '4', '4'],
  ['drz', '4', '4', '4'],
  ['drs', '4', '4', '4'],
  ['dsh', '4', '4', '4'],
  ['dsz', '4', '4', '4'],
  ['dzh', '4', '4', '4'],
  ['dzs', '4', '4', '4'],
  ['sch', '4', '4', '4'],
  ['sht', '2', '43', '43'],
  ['szt', '2', '43', '43'],
  ['shd', '2', '43', '43'],
  ['szd', '2', '43', '43'],
  ['tch', '4', '4', '4'],
  ['trz', '4', '4', '4'],
  ['trs', '4', '4', '4'],
  ['tsh', '4', '4', '4'],
  ['tts', '4', '4', '4'],
  ['ttz', '4', '4', '4'],
  ['tzs', '4', '4', '4'],
  ['tsz', '4', '4', '4'],
  ['zdz', '2', '4', '4'],
  ['zhd', '2', '43', '43'],
  ['zsh', '4', '4', '4'],
  ['ai', '0', '1', ''],
  ['aj', '0', '1', ''],
  ['ay', '0', '1', ''],
  ['au', '0', '7', ''],
  ['cz', '4', '4', '4'],
  ['cs', '4', '4', '4'],
  ['ds', '4', '4', '4'],
  ['dz', '4', '4', '4'],
  ['dt', '3', '3', '3'],
  ['ei', '0', '1', ''],
  ['ej', '0', '1', ''],
  ['ey', '0', '1', ''],
  ['eu', '1', '1', ''],
  ['fb', '7', '7', '7'],
  ['ia', '1', '', ''],
  ['ie', '1', '', ''],
  ['io', '1', '', ''],
  ['iu', '1', '', ''],
  ['ks', '5', '54', '54'],
  ['kh', '5', '5', '5'],
  ['mn', '66', '66', '66'],
  ['nm', '66', '66', '66'],
  ['oi', '0', '1', ''],
  ['oj', '0', '1', ''],
  ['oy', '0', '1', ''],
  ['pf', '7', '7', '7'],
  ['ph', '7', '7', '7'],
  ['sh', '4', '4', '4'],
  ['sc', '2', '4', '4'],
  ['st', '2', '43', '43'],
  ['sd', '2', '43', '43'],
  ['sz', '4', '4', '4'],
  ['th', '3', '3', '3'],
  ['ts', '4', '4', '4'],
  ['tc', '4', '4', '4'],
  ['tz', '4', '4', '4'],
  ['ui', '0', '1', ''],
  ['uj', '0', '1', ''],
  ['uy', '0', '1', ''],
  ['ue', '0', '1', ''],
  ['zd', '2', '43', '43'],
  ['zh', '4', '4', '4'],
  ['zs', '4', '4', '4'],
  ['ch', '5|4', '5|4', '5|4'],
  ['ck', '5|45', '5|45', '5|45'],
  ['rs', '94|4', '94|4', '94|4'],
  ['rz', '94|4', '94|4', '94|4'],
  ['a', '0', '', ''],
  ['e', '0', '', ''],
  ['i', '0', '', ''],
  ['o', '0', '', ''],
  ['u', '0', '', ''],
  ['b', '7', '7', '7'],
  ['c', '5|4', '5|4', '5|4'],
  ['d', '3', '3', '3'],
  ['f', '7', '7', '7'],
  ['g', '5', '5', '5'],
  ['h', '5', '5', ''],
  ['j', '1|4', '|4', '|4'],
  ['k', '5', '5', '5'],
  ['l', '8', '8', '8'],
  ['m', '6', '6', '6'],
  ['n', '6', '6', '6'],
  ['p', '7', '7', '7'],
  ['q', '5', '5', '5'],
  ['r', '9', '9', '9'],
  ['s', '4', '4', '4'],
  ['t', '3', '3', '3'],
  ['v', '7', '7', '7'],
  ['w', '7', '7', '7'],
  ['x', '5', '54', '54'],
  ['y', '1', '', ''],
  ['z', '4', '4', '4'],
  // Romanian t-cedilla and t-comma; Polish nasal vowels (not coded, or 6 in the last position).
  ['ţ', '3|4', '3|4', '3|4'],
  ['ț', '3|4', '3|4', '3|4'],
  ['ą', '', '', '|6'],
  ['ę', '', '', '|6'],
];

type DmRule = { pattern: string; start: string[]; beforeVowel: string[]; other: string[] };

/** Rules by first letter, longest pattern first, so the longest group at each position wins. */
const DM_RULES: ReadonlyMap<string, readonly DmRule[]> = (() => {
  const byLetter = new Map<string, DmRule[]>();
  for (const [pattern, start, beforeVowel, other] of DM_CHART) {
    const rule: DmRule = {
      pattern,
      start: start.split('|'),
      beforeVowel: beforeVowel.split('|'),
      other: other.split('|'),
    };
    const list = byLetter.get(pattern[0]!) ?? [];
    list.push(rule);
    byLetter.set(pattern[0]!, list);
  }
  for (const list of byLetter.values()) list.sort((a, b) => b.pattern.length - a.pattern.length);
  return byLetter;
})();

const DM_KEPT = /[ţțąę]/u;

/** Lower case, accents folded (except the letters the chart codes itself), and anything but letters removed. */
function prepareForDm(name: string): string {
  let out = '';
  for (const char of name.toLowerCase()) {
    out += DM_KEPT.test(char) ? char : foldAccents(char);
  }
  return out.replace(/[^a-zţțąę]/gu, '');
}

/**
 * Daitch-Mokotoff Soundex: every six-digit code a name may have, sorted. Letters are coded by the longest group in
 * the chart at each position, by whether it starts the name, comes before a vowel (A E I O U) or elsewhere; a code
 * equal to the end of the one just written is not repeated (unless a letter not coded came between); ambiguous groups
 * branch. Spaces, hyphens and apostrophes are ignored, so "Ben Aron" is coded as "Benaron". Empty input → [].
 * Peters → ["734000", "739400"], Moskowitz → ["645740"].
 *
 * Choices where the published chart leaves room: the vowels that make "before a vowel" are A E I O U (not Y); accented
 * letters are folded to ASCII first (as unaccent would), except the Romanian T-cedilla/T-comma and the Polish nasal
 * vowels Ą and Ę, which the chart codes itself.
 */
export function daitchMokotoff(name: string): string[] {
  const word = prepareForDm(name);
  if (word === '') return [];
  type Branch = { code: string; last: string };
  let branches: Branch[] = [{ code: '', last: '' }];
  let i = 0;
  while (i < word.length) {
    const rule = DM_RULES.get(word[i]!)?.find((candidate) => word.startsWith(candidate.pattern, i));
    if (!rule) {
      i++;
      continue;
    }
    const after = word[i + rule.pattern.length];
    const codes = i === 0 ? rule.start : after !== undefined && 'aeiou'.includes(after) ? rule.beforeVowel : rule.other;
    const nextBranches = new Map<string, Branch>();
    for (const branch of branches) {
      for (const code of codes) {
        const repeat = code !== '' && branch.last.endsWith(code);
        const grown = { code: repeat ? branch.code : branch.code + code, last: code };
        nextBranches.set(`${grown.code}/${grown.last}`, grown);
      }
    }
    branches = [...nextBranches.values()];
    i += rule.pattern.length;
  }
  return [...new Set(branches.map((branch) => branch.code.slice(0, 6).padEnd(6, '0')))].sort();
}
