import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  compareAddresses,
  compareForenames,
  compareNames,
  compareRecords,
  compareSurnames,
  type AddressLevel,
  type ForenameLevel,
  type PersonRecord,
  type SurnameLevel,
} from './compare.ts';

function person(forenames: string, surname: string, extra: Partial<PersonRecord> = {}): PersonRecord {
  return { forenames, surname, dateOfBirth: null, postcode: null, ...extra };
}

describe('compareForenames', () => {
  const cases: [string, string, ForenameLevel][] = [
    ['Sarah', 'sarah', 'exact'],
    ['Zoë', 'Zoe', 'exact'],
    ['Mrs Sarah', 'Sarah', 'exact'], // leading title removed
    ['Mary Jane', 'Mary', 'exact'], // first forenames agree
    ['Jon', 'Jonathan', 'nickname'],
    ['Bill', 'William', 'nickname'],
    ['Martha', 'Marhta', 'jw_high'], // JW 0.961
    ['Catherine', 'Catherina', 'jw_high'],
    ['Kelly', 'Kelli', 'jw_mid'], // JW 0.92
    ['Jon', 'Jan', 'edit1'], // JW 0.80, one substitution
    ['Kaitlyn', 'Caitlin', 'phonetic'], // two edits apart, both KTLN
    ['Olvidr', 'Oliver', 'edit2'], // a transposition and a substitution
    ['Beckyt', 'Rebecca', 'edit1'], // a nickname (Becky) with one letter too many
    ['Daqn', 'Daniel', 'edit1'], // Dan, with a slip
    ['Sarahh', 'Rebecca', 'different'], // one letter too many, but not a nickname of hers
    ['Becky', 'Rebeca', 'edit1'], // a nickname of Rebecca, against Rebecca with a letter dropped
    ['Moi', 'Muhammad', 'edit1'], // Mo with a letter added
    ['Jonmy', 'Jonathan', 'edit1'], // Jonny with a key slipped
    ['Mi', 'Muhammad', 'different'], // a slip between two-letter names (Mo) is not evidence
    ['Jss', 'Jessica', 'edit1'], // Jess with a letter dropped
    ['To', 'Thomas', 'edit1'], // Tom with a letter dropped
    ['Bne', 'Benjamin', 'edit1'], // Ben with two letters swapped
    ['Jmi', 'James', 'edit1'], // Jim with two letters swapped
    ['Om', 'Thomas', 'different'], // Tom without its first letter
    ['Jesd', 'Jessica', 'different'], // a substitution in a short name: Jess and Jesd are one key apart, as Sam and Tam
    ['Ebn', 'Benjamin', 'different'], // Ben with its first two letters swapped
    ['Tom', 'Sam', 'different'], // two edits apart is not edit2 below four letters; Sam is one key from Tam (a
    // Thomas), but short names one key apart are too often two names
    ['J', 'James', 'initial'],
    ['J.', 'James', 'initial'],
    ['J', 'Jo', 'initial'], // not phonetic: an initial says no more than its letter
    ['K', 'Catherine', 'different'],
    ['J', 'K', 'different'],
    ['Amy', 'Zoe', 'different'],
    ['Al', 'Ed', 'different'], // one letter apart is not edit1 below three letters
    ['Aa', 'Ava', 'edit1'], // a letter dropped from a three-letter name
    ['', 'Sarah', 'missing'],
    ['  ', 'Sarah', 'missing'],
    ['Sarah', '-', 'missing'],
  ];
  for (const [a, b, expected] of cases) {
    test(`${a} vs ${b} → ${expected}`, () => {
      assert.equal(compareForenames(a, b), expected);
      assert.equal(compareForenames(b, a), expected, 'symmetric');
    });
  }
});

describe('compareSurnames', () => {
  const cases: [string, string, SurnameLevel][] = [
    ['Smith', 'SMITH', 'exact'],
    ["O'Brien", 'OBrien', 'exact'],
    ['Thompson', 'Thomson', 'jw_high'],
    ['Smyth', 'Smith', 'jw_mid'],
    ['Lee', 'Lei', 'edit1'],
    ['Schmidt', 'Smith', 'phonetic'], // Double Metaphone XMT for both
    ['Bringmore', 'Btingmorr', 'edit2'],
    ['Smith', 'Patel', 'different'],
    ['', 'Smith', 'missing'],
  ];
  for (const [a, b, expected] of cases) {
    test(`${a} vs ${b} → ${expected}`, () => {
      assert.equal(compareSurnames(a, b), expected);
      assert.equal(compareSurnames(b, a), expected, 'symmetric');
    });
  }
});

describe('compareAddresses', () => {
  const cases: [Partial<PersonRecord>, Partial<PersonRecord>, AddressLevel][] = [
    [{ postcode: 'M1 1AE' }, { postcode: 'm11ae' }, 'exact'],
    [{ postcode: 'M1 1AE' }, { postcode: 'M1 2AB' }, 'outcode'],
    [{ postcode: 'M1 1AE' }, { postcode: 'SW1A 1AA' }, 'different'],
    [{ postcode: 'M1 1AE' }, { postcode: 'M11 1AE' }, 'different'], // similar text, another district
    [{ postcode: null }, { postcode: 'M1 1AE' }, 'missing'],
    // Stored people keep only an outward code (their address is sealed): compared at that level.
    [{ postcode: 'M1' }, { postcode: 'M1 1AE' }, 'outcode'],
    [{ postcode: 'M1' }, { postcode: 'm1' }, 'outcode'],
    [{ postcode: 'M1' }, { postcode: 'SK4' }, 'different'],
    [{ postcode: 'M1X' }, { postcode: 'M1 1AE' }, 'missing'], // not an outward code
    [{ postcode: 'not known' }, { postcode: 'not known' }, 'missing'],
    [{ postcode: null, addressLine: '1 High St.' }, { postcode: null, addressLine: '1 high st' }, 'exact'],
    [{ postcode: null, addressLine: '1 High St' }, { postcode: null, addressLine: '2 High St' }, 'missing'],
    // Valid postcodes decide, whatever the address lines say.
    [{ postcode: 'M1 1AE', addressLine: '1 High St' }, { postcode: 'M1 2AB', addressLine: '1 High St' }, 'outcode'],
    // Stored people keep their full postcode only as a keyed hash: equal keys are the same postcode.
    [{ postcode: 'M1', postcodeKey: 'k1' }, { postcode: 'M1', postcodeKey: 'k1' }, 'exact'],
    [{ postcode: 'M1', postcodeKey: 'k1' }, { postcode: 'M1', postcodeKey: 'k2' }, 'outcode'],
    [{ postcode: 'M1', postcodeKey: 'k1' }, { postcode: 'SK4', postcodeKey: 'k2' }, 'different'],
    [{ postcode: 'M1', postcodeKey: 'k1' }, { postcode: 'M1', postcodeKey: null }, 'outcode'],
    [{ postcode: null, postcodeKey: null }, { postcode: null, postcodeKey: null }, 'missing'],
  ];
  for (const [a, b, expected] of cases) {
    test(`${JSON.stringify(a)} vs ${JSON.stringify(b)} → ${expected}`, () => {
      const left = person('A', 'B', a);
      const right = person('A', 'B', b);
      assert.equal(compareAddresses(left, right), expected);
      assert.equal(compareAddresses(right, left), expected, 'symmetric');
    });
  }
});

describe('compareNames', () => {
  test('recorded names are compared as they are', () => {
    const result = compareNames(person('Jon', 'Smyth'), person('Jonathan', 'Smith'));
    assert.equal(result.source, 'recorded');
    assert.equal(result.forename, 'nickname');
    assert.equal(result.surname, 'jw_mid');
  });

  test('forenames and surname recorded the other way round are read as swapped', () => {
    const result = compareNames(person('Smith', 'John'), person('John', 'Smith'));
    assert.equal(result.source, 'swapped');
    assert.equal(result.forename, 'exact');
    assert.equal(result.surname, 'exact');
    assert.equal(result.candidateForenames, 'Smith');
    assert.equal(result.candidateSurname, 'John');
  });

  test('loosely similar crossed names are not read as swapped', () => {
    const result = compareNames(person('Smyth', 'Jan'), person('John', 'Smith'));
    assert.equal(result.source, 'recorded');
    assert.equal(result.forename, 'different');
  });

  test('a name that agrees as recorded is not read as swapped', () => {
    const result = compareNames(person('James', 'Thomas'), person('James', 'Thomas'));
    assert.equal(result.source, 'recorded');
  });

  test("the candidate's previous surname (marriage) matches", () => {
    const result = compareNames(person('Sarah', 'Jones'), person('Sarah', 'Smith', { previousSurnames: ['Jones'] }));
    assert.equal(result.source, 'previous_surname');
    assert.equal(result.surname, 'previous_surname');
    assert.equal(result.forename, 'exact');
    assert.equal(result.candidateSurname, 'Jones');
  });

  test("the query's previous surname matches the candidate's current one", () => {
    const result = compareNames(person('Sarah', 'Smith', { previousSurnames: ['Jones'] }), person('Sarah', 'Jones'));
    assert.equal(result.surname, 'previous_surname');
  });

  test('a previous surname only counts when it is exactly equal', () => {
    const result = compareNames(person('Sarah', 'Jonas'), person('Sarah', 'Smith', { previousSurnames: ['Jones'] }));
    assert.equal(result.source, 'recorded');
    assert.equal(result.surname, 'different');
  });

  test('an alias matches, with its own forenames', () => {
    const candidate = person('Jennifer', 'Smith', { aliases: [{ forenames: 'Jenny', surname: 'Khan' }] });
    const result = compareNames(person('Jenny', 'Khan'), candidate);
    assert.equal(result.source, 'alias');
    assert.equal(result.surname, 'alias');
    assert.equal(result.forename, 'exact');
    assert.equal(result.candidateForenames, 'Jenny');
  });

  test('an alias with a different surname does not match', () => {
    const candidate = person('Jennifer', 'Smith', { aliases: [{ forenames: 'Jenny', surname: 'Khan' }] });
    const result = compareNames(person('Jenny', 'Patel'), candidate);
    assert.equal(result.source, 'recorded');
    assert.equal(result.surname, 'different');
  });
});

describe('compareRecords', () => {
  test('gives one level per field', () => {
    const vector = compareRecords(
      person('Jon', 'Smyth', { dateOfBirth: '1985-04-03', postcode: 'M1 1AE' }),
      person('Jonathan', 'Smith', { dateOfBirth: '1985-03-04', postcode: 'M1 2AB' }),
    );
    assert.equal(vector.name.forename, 'nickname');
    assert.equal(vector.name.surname, 'jw_mid');
    assert.equal(vector.dob, 'day_month_swapped');
    assert.equal(vector.address, 'outcode');
  });
});
