import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Fastify from 'fastify';
import { TestClient, stable } from '../../../test/client.ts';
import { makeArea, makeSignInUser } from '../../../test/factories.ts';
import { createTestApp } from '../../../test/harness.ts';
import { AUDIT_ACTIONS } from '../audit/actions.ts';
import { AREA_ROLES, GLOBAL_ROLES, type Actor, type AreaRole, type GlobalRole } from './actor.ts';
import { can, PERMISSIONS, POLICY, type Permission } from './policy.ts';
import { routeAccess, SECOND_FACTOR } from './routes.ts';

/**
 * The policy matrix: every permission for every kind of user, in their own
 * area and in another. The expectations are written out here, apart from the
 * policy, so a change to the policy that grants more than this table shows
 * fails the test.
 */
type Who = { label: string; areaRole?: AreaRole; globalRole?: GlobalRole } | { label: 'anonymous' };
const whos: Who[] = [
  { label: 'anonymous' },
  ...Object.keys(AREA_ROLES).map((role) => ({ label: role, areaRole: role as AreaRole })),
  ...Object.keys(GLOBAL_ROLES).map((role) => ({ label: role, globalRole: role as GlobalRole })),
];
const contexts = ['own area', 'another area', 'no area'] as const;

// Who is allowed, as "who/context" pairs. Anything not listed must be denied.
const ALLOWED: Record<Permission, string[]> = {
  public: whos.flatMap((w) => contexts.map((c) => `${w.label}/${c}`)),
  'account.self': whos.filter((w) => w.label !== 'anonymous').flatMap((w) => contexts.map((c) => `${w.label}/${c}`)),
  'admin.manage': contexts.map((c) => `system_admin/${c}`),
  'area.memberships.manage': [...contexts.map((c) => `system_admin/${c}`), 'coordinator/own area'],
  'audit.view': [...contexts.map((c) => `system_admin/${c}`), ...contexts.map((c) => `information_governance/${c}`)],
  // A route permission; which cases is decided per record (see visibility.test.ts).
  'case.read': ['coordinator', 'chair', 'idva', 'agency_representative'].flatMap((r) =>
    contexts.map((c) => `${r}/${c}`),
  ),
  'case.exclusions.manage': ['coordinator/own area'],
  'referral.create': ['referrer/own area'],
  // A route permission; which referrals is decided per record (their own).
  'referral.own': contexts.map((c) => `referrer/${c}`),
  'referral.queue': ['coordinator/own area', 'idva/own area'],
  'referral.decide': ['coordinator/own area'],
  'notifications.self': whos
    .filter((w) => w.label !== 'anonymous')
    .flatMap((w) => contexts.map((c) => `${w.label}/${c}`)),
};

const OWN = '00000000-0000-4000-8000-00000000000a';
const OTHER = '00000000-0000-4000-8000-00000000000b';

function actorFor(who: Who): Actor | null {
  if (who.label === 'anonymous' || !('label' in who)) return null;
  const w = who as { areaRole?: AreaRole; globalRole?: GlobalRole };
  return {
    userId: '00000000-0000-4000-8000-000000000001',
    agencyId: '00000000-0000-4000-8000-000000000002',
    globalRole: w.globalRole ?? null,
    memberships: w.areaRole ? [{ areaId: OWN, role: w.areaRole }] : [],
    sessionId: '00000000-0000-4000-8000-000000000003',
  };
}

describe('the policy matrix', () => {
  test('the expectations cover every permission the policy defines', () => {
    assert.deepEqual(Object.keys(ALLOWED).sort(), [...PERMISSIONS].sort());
  });

  for (const permission of PERMISSIONS) {
    test(`${permission}: only the expected users are allowed`, () => {
      const unexpected: string[] = [];
      for (const who of whos) {
        for (const context of contexts) {
          const areaId = context === 'own area' ? OWN : context === 'another area' ? OTHER : undefined;
          const allowed = can(actorFor(who), permission, { areaId });
          const expected = ALLOWED[permission].includes(`${who.label}/${context}`);
          if (allowed !== expected) unexpected.push(`${who.label}/${context}: ${allowed ? 'allowed' : 'denied'}`);
        }
      }
      assert.deepEqual(unexpected, []);
    });
  }

  test('an unknown permission is denied', () => {
    assert.equal(can(actorFor({ label: 'x', globalRole: 'system_admin' }), 'no.such' as Permission), false);
  });
});

const { app, database } = await createTestApp();

describe('route declarations', () => {
  test('every route declares a permission the policy knows and an audit action from the vocabulary', () => {
    assert.ok(app.declaredRoutes.length > 10);
    for (const route of app.declaredRoutes) {
      assert.ok(route.permission === SECOND_FACTOR || route.permission in POLICY, `${route.method} ${route.url}`);
      assert.ok(
        route.audit === null || (AUDIT_ACTIONS as readonly string[]).includes(route.audit),
        `${route.method} ${route.url}`,
      );
    }
  });

  test('every state-changing route that is not public records an audit action', () => {
    const silent = app.declaredRoutes.filter(
      (r) => r.method === 'POST' && r.permission !== 'public' && r.audit === null && r.url !== '/session/keep-alive',
    );
    assert.deepEqual(silent, []);
  });

  test('start-up fails for a route that declares no permission', async () => {
    const bare = Fastify();
    await bare.register(routeAccess, { db: database.db });
    assert.throws(
      () => bare.get('/forgotten', async () => 'oops'),
      /GET \/forgotten must declare config.permission and config.audit/,
    );
    const unknown = Fastify();
    await unknown.register(routeAccess, { db: database.db });
    assert.throws(
      () =>
        unknown.get(
          '/made-up',
          { config: { permission: 'cases.everything' as Permission, audit: null } },
          async () => 'x',
        ),
      /declares "cases.everything", which the access policy does not define/,
    );
  });

  test('every route with an id answers a random or malformed id with the same 404 page as a missing page', async () => {
    const area = await makeArea(database.db);
    const admin = await makeSignInUser(database.db, {
      globalRole: 'system_admin',
      roles: [{ areaId: area.id, role: 'coordinator' }],
    });
    const c = await new TestClient(app).signInAs(database.db, admin.userId);
    const missing = stable((await c.get('/no-such-page')).body);
    const withIds = app.declaredRoutes.filter((r) => ['GET', 'POST'].includes(r.method) && r.url.includes('/:'));
    assert.ok(withIds.length > 5);
    for (const route of withIds) {
      for (const id of ['3f1e2d4c-5b6a-4789-8abc-def012345678', 'not-a-uuid', "1' or '1'='1"]) {
        // A role parameter gets a real role name, so only the id can be what is missing.
        const url = route.url.replace(/:role\b/, 'coordinator').replace(/:[A-Za-z]+/g, encodeURIComponent(id));
        if (route.method === 'POST') await c.get('/home'); // a fresh CSRF token
        const res = route.method === 'GET' ? await c.get(url) : await c.post(url);
        assert.equal(res.statusCode, 404, `${route.method} ${url}`);
        assert.equal(stable(res.body), missing, `${route.method} ${url} answers like a missing page`);
      }
    }
  });

  test('a signed-in user without the permission gets the missing-page 404, and the denial is audited', async () => {
    const user = await makeSignInUser(database.db);
    const c = await new TestClient(app).signInAs(database.db, user.userId);
    const missing = stable((await c.get('/no-such-page')).body);
    const res = await c.get('/audit');
    assert.equal(res.statusCode, 404);
    assert.equal(stable(res.body), missing);
    const denied = await database.db
      .selectFrom('audit_event')
      .select(['action', 'outcome'])
      .where('actor_user_id', '=', user.userId)
      .where('action', '=', 'access.denied')
      .execute();
    assert.deepEqual(denied, [{ action: 'access.denied', outcome: 'denied' }]);
  });
});
