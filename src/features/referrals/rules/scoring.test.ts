import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Answer, ChecklistAnswers } from './checklist.ts';
import { scoreChecklist, validateChecklistAnswers } from './scoring.ts';

const IDS = Array.from({ length: 24 }, (_, i) => `q${i + 1}`);

/** Every question answered `fill`, then the overrides (undefined removes an answer). */
function answers(fill: Answer, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const all: Record<string, unknown> = Object.fromEntries(IDS.map((id) => [id, { answer: fill }]));
  for (const [id, value] of Object.entries(overrides)) {
    if (value === undefined) delete all[id];
    else all[id] = value;
  }
  return all;
}

describe('scoreChecklist', () => {
  const cases: [name: string, answers: ChecklistAnswers, score: number][] = [
    ['all yes', answers('yes') as ChecklistAnswers, 24],
    ['all no', answers('no') as ChecklistAnswers, 0],
    ["all don't know", answers('dont_know') as ChecklistAnswers, 0],
    ['nothing answered', {}, 0],
    [
      "don't know is not counted",
      answers('no', { q1: { answer: 'yes' }, q2: { answer: 'dont_know' }, q3: { answer: 'yes' } }) as ChecklistAnswers,
      2,
    ],
    ['an unanswered question is not yes', answers('yes', { q5: undefined, q24: undefined }) as ChecklistAnswers, 22],
    [
      'unknown ids are ignored',
      { q1: { answer: 'yes' }, q25: { answer: 'yes' }, q0: { answer: 'yes' }, Q2: { answer: 'yes' } },
      1,
    ],
    [
      'ids from the prototype are not questions',
      JSON.parse(
        '{"__proto__": {"answer": "yes"}, "constructor": {"answer": "yes"}, "q9": {"answer": "yes"}}',
      ) as ChecklistAnswers,
      1,
    ],
    [
      'anything but exactly yes scores 0',
      { q1: { answer: 'Yes' }, q2: { answer: 'true' }, q3: { answer: true }, q4: 'yes' } as unknown as ChecklistAnswers,
      0,
    ],
    [
      'fourteen yes',
      answers('no', Object.fromEntries(IDS.slice(0, 14).map((id) => [id, { answer: 'yes' }]))) as ChecklistAnswers,
      14,
    ],
  ];
  for (const [name, given, score] of cases) {
    test(`${name}: ${score}`, () => assert.equal(scoreChecklist(given), score));
  }
});

describe('validateChecklistAnswers', () => {
  test('accepts every question answered, and scores it', () => {
    const result = validateChecklistAnswers(answers('no', { q7: { answer: 'yes' }, q8: { answer: 'dont_know' } }));
    assert.ok(result.ok);
    assert.equal(result.score, 1);
    assert.equal(Object.keys(result.answers).length, 24);
    assert.deepEqual(result.answers['q7'], { answer: 'yes' });
  });

  const missingCases: [name: string, input: unknown, questions: number[]][] = [
    ['one question missing', answers('no', { q7: undefined }), [7]],
    [
      'several missing, reported in question order',
      answers('yes', { q24: undefined, q3: undefined, q12: {} }),
      [3, 12, 24],
    ],
    ['an invalid answer', answers('no', { q7: { answer: 'maybe' } }), [7]],
    ['an answer of the wrong case', answers('no', { q2: { answer: 'YES' } }), [2]],
    ['an answer given as a bare string', answers('no', { q9: 'yes' }), [9]],
    ['nothing at all', {}, IDS.map((_, i) => i + 1)],
    ['not an object', null, IDS.map((_, i) => i + 1)],
    ['an array', ['yes'], IDS.map((_, i) => i + 1)],
  ];
  for (const [name, input, numbers] of missingCases) {
    test(`reports ${name}`, () => {
      const result = validateChecklistAnswers(input);
      assert.ok(!result.ok);
      assert.deepEqual(
        result.errors,
        numbers.map((n) => ({
          questionId: `q${n}`,
          field: 'answer',
          message: `Select yes, no or don't know for question ${n}`,
        })),
      );
    });
  }

  test('ignores unknown question ids', () => {
    const result = validateChecklistAnswers({ ...answers('no'), q25: { answer: 'yes' }, extra: 'x' });
    assert.ok(result.ok);
    assert.deepEqual(Object.keys(result.answers), IDS);
    assert.equal(result.score, 0);
  });

  test('keeps source and comment, trimmed, and leaves out empty text', () => {
    const result = validateChecklistAnswers(
      answers('no', {
        q2: { answer: 'yes', source: '  Police record ', comment: 'Said she is terrified.' },
        q4: { answer: 'no', source: '   ', comment: '' },
      }),
    );
    assert.ok(result.ok);
    assert.deepEqual(result.answers['q2'], {
      answer: 'yes',
      source: 'Police record',
      comment: 'Said she is terrified.',
    });
    assert.deepEqual(result.answers['q4'], { answer: 'no' });
  });

  const textErrors: [name: string, entry: unknown, field: string, message: string][] = [
    [
      'a comment over 2,000 characters',
      { answer: 'yes', comment: 'x'.repeat(2001) },
      'comment',
      'The comment for question 5 must be 2,000 characters or less',
    ],
    [
      'a source over 500 characters',
      { answer: 'no', source: 'x'.repeat(501) },
      'source',
      'The source for question 5 must be 500 characters or less',
    ],
    [
      'a comment that is not text',
      { answer: 'no', comment: ['a', 'b'] },
      'comment',
      'The comment for question 5 must be text',
    ],
  ];
  for (const [name, entry, field, message] of textErrors) {
    test(`reports ${name}`, () => {
      const result = validateChecklistAnswers(answers('no', { q5: entry }));
      assert.ok(!result.ok);
      assert.deepEqual(result.errors, [{ questionId: 'q5', field, message }]);
    });
  }

  test('accepts a comment of exactly 2,000 characters, counting characters rather than UTF-16 units', () => {
    const result = validateChecklistAnswers(answers('no', { q5: { answer: 'yes', comment: '😀'.repeat(2000) } }));
    assert.ok(result.ok);
  });

  test('keeps the follow-ups of a yes, checkbox values in the order of the form', () => {
    const result = validateChecklistAnswers(
      answers('no', {
        q1: { answer: 'yes', details: { injuries: ' Bruising to the arms ', first_injury: 'no' } },
        q18: { answer: 'yes', details: { hurt: ['other', 'children', 'children'], other_detail: 'A neighbour' } },
        q21: { answer: 'yes', details: { problems: 'alcohol' } },
        q23: { answer: 'yes', details: { breached: [] } },
      }),
    );
    assert.ok(result.ok);
    assert.deepEqual(result.answers['q1'], {
      answer: 'yes',
      details: { injuries: 'Bruising to the arms', first_injury: 'no' },
    });
    assert.deepEqual(result.answers['q18'], {
      answer: 'yes',
      details: { hurt: ['children', 'other'], other_detail: 'A neighbour' },
    });
    assert.deepEqual(result.answers['q21'], { answer: 'yes', details: { problems: ['alcohol'] } });
    assert.deepEqual(result.answers['q23'], { answer: 'yes' });
  });

  test('drops follow-ups unless the answer is yes', () => {
    const result = validateChecklistAnswers(
      answers('no', {
        q14: { answer: 'no', details: { threatened: ['victim'] } },
        q24: { answer: 'dont_know', details: { history: ['not an option'] } },
      }),
    );
    assert.ok(result.ok);
    assert.deepEqual(result.answers['q14'], { answer: 'no' });
    assert.deepEqual(result.answers['q24'], { answer: 'dont_know' });
  });

  const detailErrors: [name: string, id: string, entry: unknown, field: string, message: string][] = [
    [
      'a checkbox value that is not listed',
      'q18',
      { answer: 'yes', details: { hurt: ['children', 'the dog'] } },
      'details.hurt',
      'Select only the listed options for "Who has the perpetrator hurt?" (question 18)',
    ],
    [
      'a radio value that is not listed',
      'q1',
      { answer: 'yes', details: { first_injury: 'perhaps' } },
      'details.first_injury',
      'Select one of the options for "Is this the first time the victim has been injured?" (question 1)',
    ],
    [
      'detail text that is too long',
      'q17',
      { answer: 'yes', details: { who: 'x'.repeat(501) } },
      'details.who',
      'The answer to "Who?" (question 17) must be 500 characters or less',
    ],
  ];
  for (const [name, id, entry, field, message] of detailErrors) {
    test(`reports ${name}`, () => {
      const result = validateChecklistAnswers(answers('no', { [id]: entry }));
      assert.ok(!result.ok);
      assert.deepEqual(result.errors, [{ questionId: id, field, message }]);
    });
  }

  test('lists every error of a question in page order: follow-ups, source, comment', () => {
    const result = validateChecklistAnswers(
      answers('no', { q3: { answer: 'yes', details: { afraid_of: 'x' }, source: 7, comment: 'x'.repeat(2001) } }),
    );
    assert.ok(!result.ok);
    assert.deepEqual(
      result.errors.map((error) => error.field),
      ['details.afraid_of', 'source', 'comment'],
    );
  });
});
