import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FORENAME_GROUPS, areNicknames, canonicalForenames, linkedForenames } from './nicknames.ts';
import { normaliseName } from './normalise.ts';

describe('canonicalForenames', () => {
  const cases: [string, string[]][] = [
    ['Liz', ['elizabeth']],
    ['Elizabeth', ['elizabeth']],
    ['Bill', ['william']],
    ['Bob', ['robert']],
    ['Peggy', ['margaret']],
    ['Chris', ['christine', 'christopher']],
    ['Sam', ['samantha', 'samuel']],
    ['Alex', ['alexander', 'alexandra']],
    ['Jo', ['joanne', 'joseph', 'josephine']],
    ['Jon', ['john', 'jonathan']],
    ['Charlie', ['charles', 'charlotte']],
    ['Terry', ['terence', 'theresa']],
    ['Gerry', ['gerald', 'geraldine']],
    ['Harry', ['harold', 'henry']],
    ['MO', ['maurice', 'mohammed']],
    ['Zebedee', ['zebedee']],
    ['  Jane   Mary ', ['jane']], // first word of a multi-word forename
    ['', []],
  ];
  for (const [name, expected] of cases) {
    test(`${JSON.stringify(name)} → ${expected.join(', ') || '[]'}`, () =>
      assert.deepEqual(canonicalForenames(name), expected));
  }
});

describe('areNicknames', () => {
  const same: [string, string][] = [
    ['Jon', 'Johnny'],
    ['Jack', 'John'],
    ['Jonathan', 'Jon'],
    ['Liz', 'Lizzie'],
    ['Beth', 'Betty'],
    ['Eliza', 'Elizabeth'],
    ['Mo', 'Mohammed'],
    ['Muhammad', 'Mohamed'],
    ['Bill', 'William'],
    ['Will', 'Billy'],
    ['Bob', 'Robbie'],
    ['Rob', 'Robert'],
    ['Kate', 'Katherine'],
    ['Cathy', 'Kathryn'],
    ['Dave', 'David'],
    ['Mick', 'Michael'],
    ['Tommy', 'Thomas'],
    ['Jim', 'James'],
    ['Sue', 'Suzanne'],
    ['Chris', 'Christine'],
    ['Chris', 'Christopher'],
    ['Alex', 'Alexandra'],
    ['Sam', 'Samantha'],
    ['Danny', 'Daniel'],
    ['Steve', 'Steven'],
    ['Stephen', 'Steven'],
    ['Nick', 'Nicholas'],
    ['Tony', 'Anthony'],
    ['Andy', 'Andrew'],
    ['Jo', 'Joanne'],
    ['Jo', 'Josephine'],
    ['Maggie', 'Margaret'],
    ['Meg', 'Peggy'],
    ['Abi', 'Abigail'],
    ['Becky', 'Rebecca'],
    ['Vicky', 'Victoria'],
    ['Pat', 'Patrick'],
    ['Pat', 'Patricia'],
    ['Ben', 'Benjamin'],
    ['Matt', 'Matthew'],
    ['Josh', 'Joshua'],
    ['Hal', 'Henry'],
    ['Harry', 'Henry'],
    ['Charlie', 'Charlotte'],
    ['Ellie', 'Helen'],
    ['Ellie', 'Eleanor'],
    ['Ellen', 'Ellie'],
    ['Jenny', 'Jennifer'],
    ['Debbie', 'Deborah'],
    ['Mandy', 'Amanda'],
    ['Kim', 'Kimberley'],
    ['Terry', 'Terence'],
    ['Terry', 'Theresa'],
    ['Ted', 'Edward'],
    ['Eddie', 'Ed'],
    ['Fred', 'Frederick'],
    ['Gerry', 'Geraldine'],
    ['Gerald', 'Gerry'],
    ['JOHN', 'john'],
    ['Zebedee', 'zebedee'],
  ];
  for (const [a, b] of same) {
    test(`${a} ~ ${b}`, () => {
      assert.ok(areNicknames(a, b));
      assert.ok(areNicknames(b, a));
    });
  }

  const different: [string, string][] = [
    ['John', 'James'],
    ['Christopher', 'Christine'], // share only the short form
    ['Samuel', 'Samantha'],
    ['Patrick', 'Patricia'],
    ['William', 'Robert'],
    ['Mohammed', 'Ahmed'],
    ['Ian', 'John'],
    ['Megan', 'Margaret'],
    ['Zebedee', 'Zachary'],
    ['', ''],
    ['John', ''],
  ];
  for (const [a, b] of different) {
    test(`${a || '""'} ≁ ${b || '""'}`, () => {
      assert.ok(!areNicknames(a, b));
      assert.ok(!areNicknames(b, a));
    });
  }
});

describe('linkedForenames', () => {
  test('answers every name of every group a forename is in, itself included', () => {
    const linked = linkedForenames('Jon');
    for (const name of ['john', 'jon', 'johnny', 'jack', 'jonathan', 'jonathon'])
      assert.ok(linked.includes(name), name);
    assert.ok(!linked.includes('jackie'), 'Jackie is a Jack, not a John');
    assert.ok(linkedForenames('MUHAMMAD').includes('mo'));
  });

  test('a name in no group is linked to itself alone; an empty one to nothing', () => {
    assert.deepEqual(linkedForenames('Zebedee'), ['zebedee']);
    assert.deepEqual(linkedForenames('  '), []);
  });
});

describe('FORENAME_GROUPS', () => {
  test('holds over 100 groups with distinct canonical names', () => {
    assert.ok(FORENAME_GROUPS.length > 100, `${FORENAME_GROUPS.length} groups`);
    const canonicals = FORENAME_GROUPS.map((group) => group[0]);
    assert.equal(new Set(canonicals).size, canonicals.length);
  });

  test('every name is stored normalised, once per group', () => {
    for (const group of FORENAME_GROUPS) {
      assert.ok(group.length >= 2, `${group[0]} has variants`);
      assert.equal(new Set(group).size, group.length, `${group[0]} repeats a name`);
      for (const name of group) assert.equal(normaliseName(name), name);
    }
  });
});
