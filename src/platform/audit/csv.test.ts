import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { createTestDatabase } from '../../../test/harness.ts';
import { migrate } from '../db/migrator.ts';
import { recordAudit, type AuditRecord } from './audit.ts';
import type { AuditFilters } from './queries.ts';
import { AUDIT_CSV_COLUMNS, auditEventsToCsv, csvCell, csvLine, streamAuditCsv } from './csv.ts';

/** A small RFC 4180 reader, to check that what we write reads back as written. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (quoted && c === '"') {
      quoted = false;
    } else if (quoted) {
      cell += c;
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      record.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
      i++;
    } else {
      cell += c;
    }
  }
  assert.equal(record.length + cell.length, 0, 'the text ends with CRLF');
  return records;
}

describe('csvCell', () => {
  test('plain values pass through; null is an empty cell', () => {
    assert.equal(csvCell('page.viewed'), 'page.viewed');
    assert.equal(csvCell(42), '42');
    assert.equal(csvCell(null), '');
    assert.equal(csvCell(''), '');
  });

  test('quotes cells holding commas, quotes, CR or LF, doubling the quotes', () => {
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('line one\nline two'), '"line one\nline two"');
    assert.equal(csvCell('a\r\nb'), '"a\r\nb"');
    assert.equal(csvCell('"'), '""""');
  });

  test('neutralises anything a spreadsheet would run as a formula', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r'])
      assert.equal(csvCell(`${start}1+1`).replace(/^"/, '').startsWith(`'${start}`), true, JSON.stringify(start));
    assert.equal(csvCell('=HYPERLINK("http://evil.example","x")'), '"\'=HYPERLINK(""http://evil.example"",""x"")"');
    assert.equal(csvCell('@SUM(A1:A2)'), "'@SUM(A1:A2)");
    assert.equal(csvCell('-2+3'), "'-2+3");
    assert.equal(csvCell('\r=1'), '"\'\r=1"', 'a leading CR is neutralised and then quoted');
    assert.equal(csvCell('a=1'), 'a=1', 'only the first character matters');
  });

  test('a line of awkward cells reads back exactly (after the apostrophes)', () => {
    const cells = ['plain', 'a,b', 'q"uote', 'multi\nline', '=cmd|calc', null, 7];
    assert.deepEqual(parseCsv(csvLine(cells)), [['plain', 'a,b', 'q"uote', 'multi\nline', "'=cmd|calc", '', '7']]);
  });
});

describe('audit CSV export', () => {
  test('a document of events: heading, then one line per event with every field', () => {
    const event: AuditRecord = {
      seq: 3,
      occurredAt: new Date('2025-05-01T09:30:00.123Z'),
      actorUserId: randomUUID(),
      actorAgencyId: null,
      actorRole: 'coordinator',
      action: 'audit.exported',
      subjectType: 'audit_trail',
      subjectId: null,
      caseId: null,
      purpose: 'audit_review',
      outcome: 'success',
      requestId: '-req,1',
      prevHash: 'a'.repeat(64),
      hash: 'b'.repeat(64),
    };
    const [heading, line, ...rest] = parseCsv(auditEventsToCsv([event]));
    assert.deepEqual(heading, [...AUDIT_CSV_COLUMNS]);
    assert.equal(rest.length, 0);
    assert.deepEqual(line, [
      '3',
      '2025-05-01T09:30:00.123Z',
      event.actorUserId,
      '',
      'coordinator',
      'audit.exported',
      'audit_trail',
      '',
      '',
      'audit_review',
      'success',
      "'-req,1",
      'a'.repeat(64),
      'b'.repeat(64),
    ]);
  });

  test('streams the matching events from the database in chain order, page by page', async () => {
    const { db } = await createTestDatabase();
    await migrate(db);
    const caseId = randomUUID();
    const written: AuditRecord[] = [];
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < 11; i++)
        written.push(
          await recordAudit(trx, {
            actorUserId: null,
            actorAgencyId: null,
            actorRole: null,
            action: 'page.viewed',
            subjectType: 'case',
            subjectId: caseId,
            caseId: i % 2 === 0 ? caseId : randomUUID(),
            purpose: null,
            outcome: 'success',
            requestId: `-${i}`,
          }),
        );
    });
    const exported = async (filters: AuditFilters, pageSize?: number) => {
      let text = '';
      for await (const chunk of streamAuditCsv(db, filters, { pageSize })) text += chunk;
      return text;
    };
    // Page sizes that divide the rows, leave a remainder, or hold them all.
    for (const pageSize of [1, 3, 11, 1000]) assert.equal(await exported({}, pageSize), auditEventsToCsv(written));
    const mine = written.filter((e) => e.caseId === caseId);
    assert.equal(mine.length, 6);
    for (const pageSize of [2, 4]) assert.equal(await exported({ caseId }, pageSize), auditEventsToCsv(mine));
    assert.equal(parseCsv(await exported({ caseId: randomUUID() })).length, 1, 'nothing matches: heading only');
    await assert.rejects(exported({}, 0), RangeError);
  });
});
