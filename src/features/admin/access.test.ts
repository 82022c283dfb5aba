import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Fastify from 'fastify';
import { TestClient, stable } from '../../../test/client.ts';
import { makeAgency, makeArea, makeUser } from '../../../test/factories.ts';
import { createTestApp } from '../../../test/harness.ts';
import { routeAccess } from '../../platform/access/routes.ts';
import { memoryMailer } from '../../platform/mail/mailer.ts';
import { adminRoutes } from './routes.ts';

const mailer = memoryMailer();
const { app, database, config } = await createTestApp({ mailer });
const db = database.db;

const areaA = await makeArea(db);
const areaB = await makeArea(db);
const police = await makeAgency(db, areaA.id, 'police');
const target = await makeUser(db, {
  status: 'invited',
  agencyId: police.id,
  roles: [{ areaId: areaA.id, role: 'chair' }],
});

/** Every route the feature declares, read from a bare Fastify instance: nothing can be left out of the checks. */
async function declaredRoutes() {
  const routes: { method: string; url: string; permission: string; audit: string | null }[] = [];
  const probe = Fastify();
  probe.addHook('onRoute', (route) => {
    const { permission, audit } = (route.config ?? {}) as { permission?: string; audit?: string | null };
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD')
        routes.push({ method, url: route.url, permission: String(permission), audit: audit ?? null });
    }
  });
  await probe.register(routeAccess, { db });
  await probe.register(async (scope) => adminRoutes(scope, { db, clock: () => new Date(), mailer, config }));
  await probe.ready();
  await probe.close();
  return routes;
}
const routes = await declaredRoutes();

/** A URL for the route, with ids of real rows the caller might want to reach. */
const fill = (url: string, areaId = areaA.id) =>
  url
    .replace(':areaId', areaId)
    .replace(':agencyId', police.id)
    .replace(':userId', target.userId)
    .replace(':role', 'chair');

const FORM = { name: 'Hijacked', kind: 'police', email: target.email, role: 'coordinator', agencyId: police.id };

/** Nothing a refused request might have changed did change. */
async function snapshot() {
  const [areas, agencies, areaAgencies, users, memberships] = await Promise.all([
    db.selectFrom('marac_area').select(['id', 'name']).orderBy('id').execute(),
    db.selectFrom('agency').select(['id', 'name', 'kind']).orderBy('id').execute(),
    db.selectFrom('area_agency').selectAll().orderBy('area_id').orderBy('agency_id').execute(),
    db.selectFrom('app_user').select(['id', 'status']).orderBy('id').execute(),
    db
      .selectFrom('membership')
      .select(['user_id', 'area_id', 'role'])
      .orderBy('user_id')
      .orderBy('area_id')
      .orderBy('role')
      .execute(),
  ]);
  return { areas, agencies, areaAgencies, users, memberships, mails: mailer.messages.length };
}

describe('administration: who may do what', () => {
  test('every route declares a permission; every POST that changes something declares its audit action', () => {
    assert.ok(routes.length >= 28, `found ${routes.length} routes`);
    for (const r of routes) {
      const expected = r.url.startsWith('/admin') ? 'admin.manage' : 'area.memberships.manage';
      assert.equal(r.permission, expected, `${r.method} ${r.url}`);
      if (r.method === 'GET') assert.equal(r.audit, null, `${r.method} ${r.url} changes nothing`);
    }
    const unaudited = routes.filter((r) => r.method === 'POST' && r.audit === null).map((r) => r.url);
    assert.deepEqual(unaudited, [], 'every POST records what it changes');
  });

  const others = {
    'a coordinator': async () => makeUser(db, { roles: [{ areaId: areaA.id, role: 'coordinator' }] }),
    'an agency representative': async () =>
      makeUser(db, { agencyId: police.id, roles: [{ areaId: areaA.id, role: 'agency_representative' }] }),
    'an information-governance officer': async () => makeUser(db, { globalRole: 'information_governance' }),
    'a chair': async () => makeUser(db, { agencyId: police.id, roles: [{ areaId: areaA.id, role: 'chair' }] }),
  };

  for (const [who, make] of Object.entries(others)) {
    test(`${who} gets the 404 page, identical to a missing page, on every administration URL`, async () => {
      const user = await make();
      const client = await new TestClient(app).signInAs(db, user.userId);
      const missing = stable((await client.get('/no-such-page')).body);
      const before = await snapshot();
      const deniedBefore = await db
        .selectFrom('audit_event')
        .select('seq')
        .where('action', '=', 'access.denied')
        .where('actor_user_id', '=', user.userId)
        .execute();
      assert.equal(deniedBefore.length, 0);
      let checked = 0;
      for (const r of routes.filter((r) => r.permission === 'admin.manage')) {
        const url = fill(r.url);
        const res = r.method === 'GET' ? await client.get(url) : await client.post(url, FORM);
        assert.equal(res.statusCode, 404, `${r.method} ${url}`);
        assert.equal(stable(res.body), missing, `${r.method} ${url}`);
        checked++;
      }
      assert.deepEqual(await snapshot(), before, 'nothing changed');
      const denied = await db
        .selectFrom('audit_event')
        .select('subject_id')
        .where('action', '=', 'access.denied')
        .where('actor_user_id', '=', user.userId)
        .execute();
      assert.equal(denied.length, checked, 'each refusal is audited');
    });
  }

  test('only the area’s coordinator (or the administrator) reaches its members pages', async () => {
    const memberRoutes = routes.filter((r) => r.permission === 'area.memberships.manage');
    assert.equal(memberRoutes.length, 4);
    const outsiders = [
      await makeUser(db, { agencyId: police.id, roles: [{ areaId: areaA.id, role: 'agency_representative' }] }),
      await makeUser(db, {
        roles: [
          { areaId: areaA.id, role: 'chair' },
          { areaId: areaA.id, role: 'idva' },
        ],
      }),
      await makeUser(db, { globalRole: 'information_governance' }),
      await makeUser(db, { roles: [{ areaId: areaB.id, role: 'coordinator' }] }),
    ];
    const before = await snapshot();
    for (const outsider of outsiders) {
      const client = await new TestClient(app).signInAs(db, outsider.userId);
      const missing = stable((await client.get('/no-such-page')).body);
      for (const r of memberRoutes) {
        const url = fill(r.url);
        const res = r.method === 'GET' ? await client.get(url) : await client.post(url, FORM);
        assert.equal(res.statusCode, 404, `${r.method} ${url}`);
        assert.equal(stable(res.body), missing, `${r.method} ${url}`);
      }
    }
    assert.deepEqual(await snapshot(), before, 'nothing changed');
  });

  test('signed out: pages send you to sign in, and changes are refused', async () => {
    const anonymous = new TestClient(app);
    await anonymous.get('/sign-in');
    for (const r of routes) {
      const url = fill(r.url);
      if (r.method === 'GET') {
        const res = await anonymous.get(url);
        assert.equal(res.statusCode, 303, url);
        assert.equal(res.headers.location, '/sign-in', url);
      } else {
        const res = await anonymous.post(url, FORM);
        assert.equal(res.statusCode, 401, `POST ${url}`);
      }
    }
  });

  test('a POST without the CSRF token, or from another site, gets 403 and changes nothing', async () => {
    const admin = await makeUser(db, { globalRole: 'system_admin' });
    const client = await new TestClient(app).signInAs(db, admin.userId);
    const before = await snapshot();
    for (const r of routes.filter((r) => r.method === 'POST')) {
      const url = fill(r.url);
      const missingToken = await client.post(url, { ...FORM, _csrf: '' });
      assert.equal(missingToken.statusCode, 403, `POST ${url} without a token`);
      const wrongToken = await client.post(url, { ...FORM, _csrf: 'x'.repeat(40) });
      assert.equal(wrongToken.statusCode, 403, `POST ${url} with a wrong token`);
      const crossSite = await client.post(url, FORM, { 'sec-fetch-site': 'cross-site' });
      assert.equal(crossSite.statusCode, 403, `POST ${url} from another site`);
    }
    assert.deepEqual(await snapshot(), before, 'nothing changed');
    // The same client, with its token, is let through.
    await client.get('/admin/areas/new');
    const ok = await client.post('/admin/areas/new', { name: 'Allowed MARAC' });
    assert.equal(ok.statusCode, 303);
  });

  test('the system administrator sees every administration page', async () => {
    const admin = await makeUser(db, { globalRole: 'system_admin' });
    const client = await new TestClient(app).signInAs(db, admin.userId);
    for (const r of routes.filter((r) => r.method === 'GET')) {
      const url = fill(r.url);
      const res = await client.get(url);
      assert.equal(res.statusCode, 200, url);
      assert.match(res.body, /<h1 class="govuk-(heading|label-wrapper)/, url);
      assert.doesNotMatch(res.body, /govuk-error-summary/, url);
    }
  });

  test('the home page links the administrator to administration and the coordinator to their members page', async () => {
    const admin = await makeUser(db, { globalRole: 'system_admin' });
    const adminHome = await (await new TestClient(app).signInAs(db, admin.userId)).get('/home');
    assert.ok(adminHome.body.includes('href="/admin"'));
    const coordinator = await makeUser(db, { roles: [{ areaId: areaA.id, role: 'coordinator' }] });
    const home = await (await new TestClient(app).signInAs(db, coordinator.userId)).get('/home');
    assert.ok(home.body.includes(`href="/areas/${areaA.id}/members"`));
    assert.ok(!home.body.includes('href="/admin"'));
  });
});
