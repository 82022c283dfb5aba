import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CURRENT_CHECKLIST, DASH_RIC_PARAPHRASE_1, getChecklist, isAnswer, listChecklists } from './checklist.ts';

describe('checklist data', () => {
  const questions = DASH_RIC_PARAPHRASE_1.questions;

  test('holds the 24 questions q1 to q24, numbered in order', () => {
    assert.equal(questions.length, 24);
    questions.forEach((question, i) => {
      assert.equal(question.id, `q${i + 1}`);
      assert.equal(question.number, i + 1);
      assert.ok(question.text.endsWith('?'), question.id);
      assert.ok(question.text.length < 140, `${question.id} is short enough for a form label`);
    });
  });

  test('is recorded with its tool and version, and new referrals use it', () => {
    assert.equal(DASH_RIC_PARAPHRASE_1.tool, 'dash_ric');
    assert.equal(DASH_RIC_PARAPHRASE_1.version, '2009-safelives-paraphrase-1');
    assert.equal(CURRENT_CHECKLIST, DASH_RIC_PARAPHRASE_1);
  });

  test('is found in the registry by tool and version, and only by both', () => {
    assert.equal(getChecklist('dash_ric', '2009-safelives-paraphrase-1'), DASH_RIC_PARAPHRASE_1);
    assert.equal(getChecklist('dash_ric', '2009-safelives-paraphrase-2'), undefined);
    assert.equal(getChecklist('dara', '2009-safelives-paraphrase-1'), undefined);
    assert.equal(getChecklist('dash_ric2009-safelives-paraphrase-1', ''), undefined);
    assert.deepEqual(listChecklists(), [DASH_RIC_PARAPHRASE_1]);
  });

  test('cannot be changed at run time', () => {
    assert.ok(Object.isFrozen(DASH_RIC_PARAPHRASE_1));
    assert.ok(Object.isFrozen(questions));
    assert.ok(Object.isFrozen(questions[0]));
    assert.ok(Object.isFrozen(questions[17]?.details?.[0]));
    assert.throws(() => {
      (questions[0] as { text: string }).text = 'changed';
    }, TypeError);
  });

  const expectedDetails: [questionId: string, detailIds: string[], options: Record<string, string[]>][] = [
    ['q1', ['injuries', 'first_injury'], { first_injury: ['yes', 'no', 'dont_know'] }],
    ['q3', ['afraid_of', 'to_whom'], { afraid_of: ['further_injury_or_violence', 'other'] }],
    ['q14', ['threatened', 'other_detail'], { threatened: ['victim', 'children', 'other'] }],
    ['q17', ['who'], {}],
    ['q18', ['hurt', 'other_detail'], { hurt: ['children', 'other_family', 'previous_partner', 'other'] }],
    ['q21', ['problems'], { problems: ['drugs', 'alcohol', 'mental_health'] }],
    ['q23', ['breached'], { breached: ['bail', 'injunction', 'agreement'] }],
    ['q24', ['history'], { history: ['domestic_abuse', 'sexual_violence', 'other_violence', 'other'] }],
  ];
  for (const [questionId, detailIds, options] of expectedDetails) {
    test(`${questionId} asks its follow-ups: ${detailIds.join(', ')}`, () => {
      const question = questions.find((q) => q.id === questionId);
      assert.deepEqual(
        question?.details?.map((detail) => detail.id),
        detailIds,
      );
      for (const detail of question?.details ?? []) {
        if (detail.kind === 'text') assert.equal(options[detail.id], undefined);
        else
          assert.deepEqual(
            detail.options.map((option) => option.value),
            options[detail.id],
          );
      }
    });
  }

  test('only those questions have follow-ups', () => {
    const withDetails = questions.filter((q) => q.details !== undefined).map((q) => q.id);
    assert.deepEqual(
      withDetails,
      expectedDetails.map(([id]) => id),
    );
  });

  test('answers are yes, no or dont_know', () => {
    for (const good of ['yes', 'no', 'dont_know']) assert.ok(isAnswer(good), good);
    for (const bad of ['Yes', 'true', '', 'unknown', 1, null, undefined]) assert.ok(!isAnswer(bad), String(bad));
  });
});
