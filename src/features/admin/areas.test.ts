import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TestClient, stable } from '../../../test/client.ts';
import { makeAgency, makeArea, makeUser } from '../../../test/factories.ts';
import { createTestApp } from '../../../test/harness.ts';
import { errorSummary } from './testing.ts';
import { isUniqueViolation } from './ids.ts';

const { app, database } = await createTestApp();
const db = database.db;

const admin = await makeUser(db, { globalRole: 'system_admin' });
const client = await new TestClient(app).signInAs(db, admin.userId);
const missing = stable((await client.get('/no-such-page')).body);

const auditRows = (action: string) =>
  db
    .selectFrom('audit_event')
    .select(['actor_user_id', 'subject_type', 'subject_id', 'outcome'])
    .where('action', '=', action as never)
    .orderBy('seq')
    .execute();

/** The error summary's messages, in order. */
const summary = errorSummary;

describe('administration: MARAC areas', () => {
  test('the administration index links to areas, agencies and users', async () => {
    const res = await client.get('/admin');
    assert.equal(res.statusCode, 200);
    for (const href of ['/admin/areas', '/admin/agencies', '/admin/users'])
      assert.ok(res.body.includes(`href="${href}"`));
  });

  test('adding an area: the question page, then the area page with a banner, audited', async () => {
    const form = await client.get('/admin/areas/new');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<h1 class="govuk-label-wrapper">\s*<label class="govuk-label govuk-label--l" for="name">/);
    const res = await client.post('/admin/areas/new', { name: '  Riverside MARAC  ' });
    assert.equal(res.statusCode, 303);
    const id = /^\/admin\/areas\/([0-9a-f-]{36})\?done=area-added$/.exec(String(res.headers.location))?.[1];
    assert.ok(id, String(res.headers.location));
    const area = await db.selectFrom('marac_area').select('name').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(area.name, 'Riverside MARAC', 'trimmed');
    const page = await client.get(String(res.headers.location));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Area added/);
    assert.match(page.body, /<h1 class="govuk-heading-l">Riverside MARAC<\/h1>/);
    const rows = await auditRows('admin.area_created');
    assert.deepEqual(rows.at(-1), {
      actor_user_id: admin.userId,
      subject_type: 'area',
      subject_id: id,
      outcome: 'success',
    });
    const list = await client.get('/admin/areas');
    assert.equal(list.statusCode, 200);
    assert.ok(list.body.includes(`href="/admin/areas/${id}">Riverside MARAC</a>`));
  });

  test('an empty or too long name shows the GOV.UK error summary and keeps the answer', async () => {
    const empty = await client.post('/admin/areas/new', { name: '   ' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /govuk-error-summary/);
    assert.match(empty.body, /<title>Error: Add a MARAC area/);
    assert.deepEqual(summary(empty.body), ['name: Enter the name of the MARAC area']);
    const long = 'x'.repeat(121);
    const tooLong = await client.post('/admin/areas/new', { name: long });
    assert.equal(tooLong.statusCode, 400);
    assert.deepEqual(summary(tooLong.body), ['name: The name must be 120 characters or fewer']);
    assert.ok(tooLong.body.includes(`value="${long}"`), 'the answer is kept');
  });

  test('a duplicate name (in any case) is a field error, not a 500, and nothing is written', async () => {
    const existing = await makeArea(db);
    const before = (await auditRows('admin.area_created')).length;
    const res = await client.post('/admin/areas/new', { name: existing.name.toUpperCase() });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(summary(res.body), ['name: There is already a MARAC area with this name']);
    assert.ok(res.body.includes(`value="${existing.name.toUpperCase()}"`));
    assert.equal((await auditRows('admin.area_created')).length, before);
  });

  test('changing the name: prefilled, validated, duplicate refused, audited', async () => {
    const area = await makeArea(db);
    const other = await makeArea(db);
    const form = await client.get(`/admin/areas/${area.id}/name`);
    assert.equal(form.statusCode, 200);
    assert.ok(form.body.includes(`value="${area.name}"`));
    const clash = await client.post(`/admin/areas/${area.id}/name`, { name: other.name });
    assert.equal(clash.statusCode, 400);
    assert.deepEqual(summary(clash.body), ['name: There is already a MARAC area with this name']);
    const same = await client.post(`/admin/areas/${area.id}/name`, { name: area.name.toLowerCase() });
    assert.equal(same.statusCode, 303, 'its own name, in another case, is not a clash');
    const res = await client.post(`/admin/areas/${area.id}/name`, { name: 'Hillside MARAC' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/admin/areas/${area.id}?done=area-renamed`);
    const row = await db.selectFrom('marac_area').select('name').where('id', '=', area.id).executeTakeFirstOrThrow();
    assert.equal(row.name, 'Hillside MARAC');
    const rows = await auditRows('admin.area_updated');
    assert.deepEqual(rows.at(-1), {
      actor_user_id: admin.userId,
      subject_type: 'area',
      subject_id: area.id,
      outcome: 'success',
    });
    assert.equal(rows.length, 2, 'one row per change');
  });

  test('agencies taking part: add from those not yet in the area, and remove, each audited', async () => {
    const area = await makeArea(db);
    const already = await makeAgency(db, area.id, 'police');
    const elsewhere = await makeAgency(db, (await makeArea(db)).id, 'housing');
    const page = await client.get(`/admin/areas/${area.id}`);
    assert.ok(page.body.includes(already.name));
    assert.match(page.body, /Police/);

    const choose = await client.get(`/admin/areas/${area.id}/agencies/new`);
    assert.equal(choose.statusCode, 200);
    assert.ok(choose.body.includes(`value="${elsewhere.id}"`), 'an agency not yet taking part is offered');
    assert.ok(!choose.body.includes(`value="${already.id}"`), 'one already taking part is not');

    const none = await client.post(`/admin/areas/${area.id}/agencies/new`, { agencyId: '' });
    assert.equal(none.statusCode, 400);
    assert.deepEqual(summary(none.body), ['agencyId: Select an agency']);
    const bogus = await client.post(`/admin/areas/${area.id}/agencies/new`, { agencyId: 'not-a-uuid' });
    assert.equal(bogus.statusCode, 400, 'a malformed choice is a field error, never a 500');
    const unknown = await client.post(`/admin/areas/${area.id}/agencies/new`, { agencyId: crypto.randomUUID() });
    assert.equal(unknown.statusCode, 400);
    const twice = await client.post(`/admin/areas/${area.id}/agencies/new`, { agencyId: already.id });
    assert.equal(twice.statusCode, 400);
    assert.deepEqual(summary(twice.body), ['agencyId: That agency already takes part in this area']);

    const added = await client.post(`/admin/areas/${area.id}/agencies/new`, { agencyId: elsewhere.id });
    assert.equal(added.statusCode, 303);
    assert.equal(added.headers.location, `/admin/areas/${area.id}?done=agency-joined`);
    const joined = await auditRows('admin.area_agency_added');
    assert.deepEqual(joined.at(-1), {
      actor_user_id: admin.userId,
      subject_type: 'area_agency',
      subject_id: `${area.id}:${elsewhere.id}`,
      outcome: 'success',
    });

    await client.get(`/admin/areas/${area.id}`);
    const removed = await client.post(`/admin/areas/${area.id}/agencies/${already.id}/remove`);
    assert.equal(removed.statusCode, 303);
    const left = await db.selectFrom('area_agency').select('agency_id').where('area_id', '=', area.id).execute();
    assert.deepEqual(left, [{ agency_id: elsewhere.id }]);
    const rows = await auditRows('admin.area_agency_removed');
    assert.deepEqual(rows.at(-1), {
      actor_user_id: admin.userId,
      subject_type: 'area_agency',
      subject_id: `${area.id}:${already.id}`,
      outcome: 'success',
    });
  });

  test('ids: a malformed id, a random id and another area’s agency all get the same 404 page', async () => {
    const area = await makeArea(db);
    const otherArea = await makeArea(db);
    const theirs = await makeAgency(db, otherArea.id);
    const random = crypto.randomUUID();
    for (const id of [random, 'not-a-uuid', `${area.id}x`, "1' or '1'='1"]) {
      for (const url of [`/admin/areas/${id}`, `/admin/areas/${id}/name`, `/admin/areas/${id}/agencies/new`]) {
        const res = await client.get(url);
        assert.equal(res.statusCode, 404, url);
        assert.equal(stable(res.body), missing, url);
        const post = await client.post(url, { name: 'Anything', agencyId: theirs.id });
        assert.equal(post.statusCode, 404, `POST ${url}`);
        assert.equal(stable(post.body), missing, `POST ${url}`);
      }
    }
    for (const url of [
      `/admin/areas/${area.id}/agencies/${theirs.id}/remove`,
      `/admin/areas/${area.id}/agencies/${random}/remove`,
      `/admin/areas/${area.id}/agencies/not-a-uuid/remove`,
      `/admin/areas/not-a-uuid/agencies/${theirs.id}/remove`,
    ]) {
      const res = await client.post(url);
      assert.equal(res.statusCode, 404, url);
      assert.equal(stable(res.body), missing, url);
    }
    const still = await db.selectFrom('area_agency').select('area_id').where('agency_id', '=', theirs.id).execute();
    assert.deepEqual(still, [{ area_id: otherArea.id }], 'the other area keeps its agency');
  });

  test(`two people adding the same name at once: the database's refusal is recognised (${database.engine})`, async () => {
    const area = await makeArea(db);
    const error = await db
      .insertInto('marac_area')
      .values({ name: area.name })
      .execute()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(isUniqueViolation(error));
    assert.ok(!isUniqueViolation(new Error('something else')));
  });

  test('names are escaped on every page, never rendered as HTML', async () => {
    const res = await client.post('/admin/areas/new', { name: '<script>alert(1)</script> MARAC' });
    const page = await client.get(String(res.headers.location));
    const list = await client.get('/admin/areas');
    for (const body of [page.body, list.body]) {
      assert.ok(!body.includes('<script>alert(1)</script>'));
      assert.ok(body.includes('&lt;script&gt;alert(1)&lt;/script&gt; MARAC'));
    }
  });
});
