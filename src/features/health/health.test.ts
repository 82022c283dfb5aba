import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTestApp } from '../../../test/harness.ts';

describe('/health', () => {
  test('reports a reachable database with its migrations current, and nothing else', async () => {
    const { app } = await createTestApp();
    const res = await app.inject('/health');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    const body = res.json<{ migrations: { latest: string; applied: number } }>();
    assert.deepEqual(Object.keys(body).sort(), ['database', 'migrations', 'status']);
    assert.equal(body.migrations.applied > 0, true);
    assert.deepEqual(body, {
      status: 'ok',
      database: 'reachable',
      migrations: { state: 'current', applied: body.migrations.applied, pending: 0, latest: body.migrations.latest },
    });
    assert.match(body.migrations.latest, /^\d{4}_[a-z0-9_]+\.sql$/);
  });

  test('answers 503 when a migration is pending', async () => {
    const { app, owner } = await createTestApp();
    await owner.db.deleteFrom('schema_migration').where('version', '=', 1).execute();
    const res = await app.inject('/health');
    assert.equal(res.statusCode, 503);
    assert.equal(res.json<{ migrations: { state: string } }>().migrations.state, 'pending');
  });

  test('answers 503 when the database cannot be reached', async () => {
    const { app, database } = await createTestApp();
    await database.close();
    const res = await app.inject('/health');
    assert.equal(res.statusCode, 503);
    assert.deepEqual(res.json(), { status: 'unavailable', database: 'unreachable', migrations: { state: 'unknown' } });
  });
});
