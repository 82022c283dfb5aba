import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AUDIT_ACTIONS } from '../../platform/audit/actions.ts';
import { filterQuery, filterValues } from './filters.ts';
import { actionLabel, ACTION_LABELS, outcomeLabel, purposeLabel } from './labels.ts';
import { pageCount, pageNumber, pagination } from './pagination.ts';

const href = (n: number) => `/audit?page=${n}`;
const shape = (p: ReturnType<typeof pagination>) =>
  p?.items.map((i) => ('ellipsis' in i ? '…' : i.current ? `[${i.number}]` : String(i.number))).join(' ');

describe('pagination', () => {
  test('none for a single page', () => {
    assert.equal(pagination(1, 1, href), null);
  });

  test('first, last and either side of the current page, with ellipses for gaps', () => {
    assert.equal(shape(pagination(1, 2, href)), '[1] 2');
    assert.equal(shape(pagination(1, 10, href)), '[1] 2 … 10');
    assert.equal(shape(pagination(5, 10, href)), '1 … 4 [5] 6 … 10');
    assert.equal(shape(pagination(3, 10, href)), '1 2 [3] 4 … 10');
    assert.equal(shape(pagination(10, 10, href)), '1 … 9 [10]');
    assert.equal(shape(pagination(4, 10, href)), '1 2 3 [4] 5 … 10', 'a gap of one page shows the page');
    assert.equal(shape(pagination(7, 8, href)), '1 … 6 [7] 8');
  });

  test('previous and next links only where there is such a page', () => {
    const middle = pagination(5, 10, href)!;
    assert.deepEqual(middle.previous, { href: '/audit?page=4' });
    assert.deepEqual(middle.next, { href: '/audit?page=6' });
    assert.equal(pagination(1, 10, href)!.previous, undefined);
    assert.equal(pagination(10, 10, href)!.next, undefined);
  });

  test('a page beyond the last leads back to the last', () => {
    const beyond = pagination(12, 3, href)!;
    assert.equal(shape(beyond), '1 2 3');
    assert.deepEqual(beyond.previous, { href: '/audit?page=3' });
    assert.equal(beyond.next, undefined);
  });

  test('page numbers: whole numbers from 1 to 100000, anything else is page 1', () => {
    assert.equal(pageNumber('7'), 7);
    assert.equal(pageNumber(['3', '4']), 3);
    for (const odd of [undefined, '', '0', '-2', '2.5', '1e3', 'abc', '100001', '9999999', {}, 5])
      assert.equal(pageNumber(odd), 1, JSON.stringify(odd));
    assert.equal(pageCount(0, 50), 1);
    assert.equal(pageCount(50, 50), 1);
    assert.equal(pageCount(51, 50), 2);
  });
});

describe('filter links', () => {
  test('carry only the filters that are set, trimmed, and the page after the first', () => {
    const values = filterValues({
      user: ' a@b.example ',
      case: '',
      action: 'auth.sign_in',
      'from-day': '1',
      'from-month': '2',
      'from-year': '2025',
      'to-day': '',
      page: '4',
    });
    // The email address typed is never put in a link; the user's id is, once looked up.
    assert.equal(filterQuery(values), '?from-day=1&from-month=2&from-year=2025&action=auth.sign_in');
    const withId = { ...values, userId: '7d1f8c2e-0000-4000-8000-000000000001' };
    assert.equal(
      filterQuery(withId),
      `?user-id=${withId.userId}&from-day=1&from-month=2&from-year=2025&action=auth.sign_in`,
    );
    assert.equal(filterQuery(values, 1), filterQuery(values));
    assert.match(filterQuery(values, 2), /&page=2$/);
    assert.equal(filterQuery(filterValues({})), '');
    assert.equal(filterQuery(filterValues(null)), '');
  });

  test('a repeated field counts once, and anything that is not text is blank', () => {
    const values = filterValues({ user: ['x@y.example', 'z@y.example'], case: { a: 1 }, action: 5 });
    assert.equal(values.user, 'x@y.example');
    assert.equal(values.case, '');
    assert.equal(values.action, '');
  });
});

describe('labels', () => {
  test('every audit action has words', () => {
    for (const action of AUDIT_ACTIONS) assert.ok(Object.hasOwn(ACTION_LABELS, action), action);
  });

  test('unknown codes are shown as they are, even ones that name object properties', () => {
    assert.equal(actionLabel('auth.sign_in'), 'Signed in');
    assert.equal(actionLabel('constructor'), 'constructor');
    assert.equal(purposeLabel('audit_review'), 'Audit review');
    assert.equal(purposeLabel('toString'), 'toString');
    assert.equal(purposeLabel(null), null);
    assert.deepEqual(outcomeLabel('denied'), { text: 'Denied', tag: 'govuk-tag--red' });
    assert.deepEqual(outcomeLabel('__proto__'), { text: '__proto__', tag: 'govuk-tag--grey' });
  });
});
