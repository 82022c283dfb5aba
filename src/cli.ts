import { randomUUID } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { DemoSeedError, seedDemo } from './features/demo/seed.ts';
import { formatCredentials } from './features/demo/users.ts';
import { BulkInputError, importPeople, matchPeople, readPeopleFile } from './features/people/bulk.ts';
import { reindexPeople } from './features/people/reindex.ts';
import { totpCode } from './platform/identity/totp.ts';
import { recordAudit } from './platform/audit/audit.ts';
import { verifyAuditChain, type AuditChainReason } from './platform/audit/verify.ts';
import { KeyringError } from './platform/crypto/errors.ts';
import { generateKeyFileContents, keyFileHasIndexKey, readKeyFile } from './platform/crypto/keyring.ts';
import { rotateKeys } from './platform/crypto/rotate.ts';
import { openDatabase } from './platform/db/database.ts';
import { migrate, MigrationError } from './platform/db/migrator.ts';
import { createLogger } from './platform/http/logging.ts';
import { resolveKeyring, startServer, stopOnSignals } from './server.ts';

/** Exit codes, documented in the README. */
export const EXIT = { ok: 0, failure: 1, usage: 2, config: 78 } as const;

class UsageError extends Error {}

const USAGE = `Usage: marac <command> [options]

Commands:
  serve        Start the web service
  migrate      Apply pending database migrations
  seed-demo    Put the fictional demo data into an empty database
  keys         Make key-encryption keys (generate), or re-wrap data keys (rotate)
  totp-code    Print the current authenticator code for a key (for the demo)
  audit verify Check that the audit trail's hash chain is unbroken
  people       Import people into an area (import), match people against it (match),
               or recompute their matching keys (reindex)

Run "marac <command> --help" for a command's options.
Settings come from environment variables; see the README.`;

type Command = {
  help: string;
  options: Record<string, { type: 'boolean' | 'string'; short?: string }>;
  /** How many positional arguments the command takes (none unless said). */
  positionals?: number;
  run(config: Config, values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<number>;
};

/** What each way of failing verification means, for the person reading the result. */
const CHAIN_FAULTS: Record<AuditChainReason, string> = {
  missing_row: 'there is no event at this position, so an event was deleted or moved',
  broken_link: 'it does not name the hash of the event before it, so events were removed, inserted or reordered',
  hash_mismatch: 'it no longer matches its own hash, so it was changed after it was written',
};

const events = (n: number) => `${n} event${n === 1 ? '' : 's'}`;

const commands: Record<string, Command> = {
  serve: {
    help: `Usage: marac serve [--demo]

Starts Open MARAC on HOST:PORT, applying any pending migrations first.
Stops cleanly on Ctrl-C (SIGINT) or SIGTERM.

Options:
  --demo     Seed the fictional demo data when the database is empty.
             Refused when NODE_ENV=production.
  --help     Show this help.`,
    options: { demo: { type: 'boolean' } },
    async run(config, values) {
      const logger = createLogger(config);
      const server = await startServer(config, { demo: values.demo === true, logger });
      const stopped = stopOnSignals(server, logger);
      const engine =
        server.database.engine === 'pglite'
          ? `embedded PGlite database in ${config.database.engine === 'pglite' ? config.database.dataDir : ''} (demo only)`
          : 'PostgreSQL server';
      process.stderr.write(`\nOpen MARAC is running at ${server.url} on the ${engine}. Press Ctrl-C to stop.\n\n`);
      return stopped;
    },
  },
  migrate: {
    help: `Usage: marac migrate

Applies pending migrations from migrations/ in order, each in its own
transaction. Refuses to run when an applied migration file has changed.

Options:
  --help     Show this help.`,
    options: {},
    async run(config) {
      const database = await openDatabase(config.database, 'owner');
      try {
        const applied = await migrate(database.db);
        console.log(
          applied.length
            ? `Applied ${applied.length} migration(s):\n  ${applied.join('\n  ')}`
            : 'The database schema is current; nothing to apply.',
        );
        return EXIT.ok;
      } finally {
        await database.close();
      }
    },
  },
  'totp-code': {
    help: `Usage: marac totp-code <key>

Prints the current 6-digit authenticator code for a key, like an
authenticator app would: handy for signing in to the demo. It reads no
database and works for any key you already hold.

Options:
  --help     Show this help.`,
    options: {},
    positionals: 1,
    async run(_config, _values, positionals) {
      const key = positionals[0];
      if (!key)
        throw new UsageError('give the authenticator key, e.g. marac totp-code 663TRHXSS4EJQXG5IRF5UQ6QYJOGWEIN');
      let code: string;
      try {
        code = totpCode(key.replace(/\s+/g, ''), Date.now());
      } catch {
        throw new UsageError('that is not an authenticator key (letters A-Z and digits 2-7)');
      }
      console.log(code);
      return EXIT.ok;
    },
  },
  audit: {
    help: `Usage: marac audit verify

Checks the whole audit trail, from its first event to its last: every event
must be in its place, name the hash of the event before it, and still match
its own hash. Prints "The audit trail is intact: N events checked." or names
the first event (by its seq, as shown in the audit viewer) where the chain
breaks, and why. It only reads, as the database owner (DATABASE_OWNER_URL,
or the embedded database in MARAC_DATA_DIR: stop the service first).

It cannot see events cut off the end of the trail; keep the count and the
last event's hash somewhere else to catch that.

Exit status:
  0   The audit trail is intact.
  1   The audit trail is broken, or could not be checked (the message says which).
  2   Usage error.
  78  Configuration error.

Options:
  --help     Show this help.`,
    options: {},
    positionals: 1,
    async run(config, _values, positionals) {
      const action = positionals[0];
      if (action !== 'verify') {
        throw new UsageError(
          action === undefined
            ? 'say what to do: marac audit verify'
            : `unknown audit command "${action}"; the only one is "verify"`,
        );
      }
      const database = await openDatabase(config.database, 'owner');
      try {
        const { rows } = await sql<{ found: string | null }>`select to_regclass('audit_event')::text as found`.execute(
          database.db,
        );
        if (!rows[0]?.found) {
          console.error('marac audit verify: this database has no audit trail. Run "marac migrate" first.');
          return EXIT.failure;
        }
        const result = await verifyAuditChain(database.db);
        if (result.ok) {
          console.log(`The audit trail is intact: ${events(result.rows)} checked.`);
          return EXIT.ok;
        }
        console.error(
          `The audit trail is broken at seq ${result.firstBadSeq} (${result.reason}): ` +
            `${CHAIN_FAULTS[result.reason]}. ${events(result.rows)} checked; events after it were not.`,
        );
        return EXIT.failure;
      } finally {
        await database.close();
      }
    },
  },
  keys: {
    help: `Usage: marac keys generate [--add-to FILE]
       marac keys rotate

generate   Prints a new key file (JSON) holding one random 256-bit
           key-encryption key and a random matching index key ("index",
           which keys the postcode hashes person matching compares), for
           MARAC_KEY_FILE. With --add-to FILE, adds a new key version to that
           file instead (written in place, mode 0600), keeping its index key
           (a file without one is given none: set MARAC_INDEX_KEY); restart
           the service, then run "marac keys rotate". The index key is never
           rotated: changing it would need every stored postcode key
           recomputed, which Open MARAC cannot do yet.
rotate     Re-wraps every case's data key under the newest key version, as
           the database owner. Encrypted fields are not rewritten. Once it has
           run, older versions can be removed from the keyring.

Keys come from MARAC_KEYS (with MARAC_INDEX_KEY) or MARAC_KEY_FILE; outside
production, from the development key file in MARAC_DATA_DIR. Keys never live
in the database.

Options:
  --add-to FILE   (generate) Add a version to an existing key file.
  --help          Show this help.`,
    options: { 'add-to': { type: 'string' } },
    positionals: 1,
    async run(config, values, positionals) {
      const action = positionals[0];
      if (action === 'generate') {
        const file = values['add-to'];
        if (typeof file !== 'string') {
          process.stdout.write(generateKeyFileContents());
          return EXIT.ok;
        }
        let existing: string;
        try {
          existing = readFileSync(file, 'utf8');
        } catch (error) {
          throw new UsageError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code})`);
        }
        let next: string;
        try {
          next = generateKeyFileContents(existing);
        } catch (error) {
          if (error instanceof KeyringError) throw new UsageError(error.message);
          throw error;
        }
        writeFileSync(`${file}.new`, next, { mode: 0o600 });
        renameSync(`${file}.new`, file);
        console.log(
          `Added version ${readKeyFile(file).currentVersion} to ${file}. Restart the service, then run "marac keys rotate".`,
        );
        if (!keyFileHasIndexKey(next)) {
          console.log(
            'It holds no matching index key ("index"): production needs one, in MARAC_INDEX_KEY or the file.',
          );
        }
        return EXIT.ok;
      }
      if (action !== 'rotate') throw new UsageError('say what to do: marac keys generate, or marac keys rotate');
      const database = await openDatabase(config.database, 'owner');
      try {
        const keyring = resolveKeyring(config);
        const result = await rotateKeys(database.db, keyring);
        await database.db.transaction().execute((trx) =>
          recordAudit(trx, {
            actorUserId: null,
            actorAgencyId: null,
            actorRole: null,
            action: 'admin.keys_rotated',
            subjectType: 'keyring',
            subjectId: `v${result.currentVersion}`,
            caseId: null,
            purpose: 'administration',
            outcome: 'success',
            requestId: `cli-${randomUUID()}`,
          }),
        );
        console.log(
          `Data keys now under key version ${result.currentVersion}: ${result.rewrapped} re-wrapped, ${result.alreadyCurrent} already current.`,
        );
        return EXIT.ok;
      } finally {
        await database.close();
      }
    },
  },
  people: {
    help: `Usage: marac people import FILE.jsonl --area ID
       marac people match FILE.jsonl --area ID [--limit N]
       marac people reindex (--area ID | --all-areas)

import   Loads people into the area, all or nothing: each line of FILE is a
         JSON object naming one person; a malformed line is reported with its
         line number and nothing is imported, as when an externalId is
         already in the area. Imported people belong to no case: the area's
         coordinators see them, and matching finds them for the area.
match    Prints one JSON line per person in FILE, in order:
         {"line", "externalId", "candidates": [{"personId", "externalId",
         "score", "band", "evidence"}]}, best candidate first; only strong and
         possible candidates are listed. Output holds personal data: keep it
         where the people's records may be kept.
reindex  Recomputes the matching keys (normalised names, phonetic codes,
         date parts) of every person in the area, or in every area, from
         their names, aliases, previous surnames and date of birth, as when
         a person is written; the stored outward code is kept. Only people
         whose keys differ are rewritten, 1000 at a time. Run it for people
         written before migration 0011, and whenever the way keys are
         computed changes. Prints "Reindexed N of M people in area ID.";
         output holds counts and ids only.

Each line:  {"externalId": "P-123", "givenNames": "Jonathan",
             "familyName": "Smith", "dateOfBirth": "1985-03-04",
             "aliases": ["Jon Smyth"], "previousSurnames": ["Jones"],
             "postcode": "M1 1AE"}
externalId is required for import (unique in the area) and optional for
match; dateOfBirth, aliases, previousSurnames and postcode (a postcode or an
outward code) are optional. Of a postcode only the outward code is kept in
the clear; a full postcode also gets its postcode key, a keyed hash made
with the matching index key (MARAC_INDEX_KEY, the key file's "index", or
outside production the development key file), for imported people and for
the people matched alike. Import with the same index key the service uses.

Runs as the database owner (DATABASE_OWNER_URL, or the embedded database in
MARAC_DATA_DIR: stop the service first). Progress goes to standard error.

Exit status:
  0   Done.
  1   Nothing imported (a bad line, an unknown area, a clash), or failed.
  2   Usage error.
  78  Configuration error.

Options:
  --area ID     The MARAC area's id (required, but for reindex --all-areas).
  --all-areas   (reindex) Every area, instead of --area.
  --limit N     (match) At most N candidates per person (default 5).
  --help        Show this help.`,
    options: { area: { type: 'string' }, 'all-areas': { type: 'boolean' }, limit: { type: 'string' } },
    positionals: 2,
    async run(config, values, positionals) {
      const [action, file] = positionals;
      if (action === 'reindex') return reindex(config, values, file);
      if (action !== 'import' && action !== 'match')
        throw new UsageError(
          action === undefined
            ? 'say what to do: marac people import FILE --area ID, marac people match FILE --area ID, ' +
                'or marac people reindex --area ID'
            : `unknown people command "${action}"; use "import", "match" or "reindex"`,
        );
      if (file === undefined) throw new UsageError(`give the file: marac people ${action} FILE.jsonl --area ID`);
      if (values['all-areas'] !== undefined)
        throw new UsageError(`--all-areas is for reindex only; ${action} needs --area ID`);
      const areaId = values.area;
      if (!isAreaId(areaId)) throw new UsageError('--area must be the id of a MARAC area (a UUID)');
      const limit = values.limit === undefined ? 5 : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 50)
        throw new UsageError(`--limit must be a whole number from 1 to 50, not "${String(values.limit)}"`);
      const started = Date.now();
      let lastReport = 0;
      // Progress on standard error, at most once a second and always at the end: counts only, never names.
      const progress = (verb: string) => (done: number, total: number) => {
        const now = Date.now();
        if (done < total && now - lastReport < 1000) return;
        lastReport = now;
        process.stderr.write(`${verb} ${done}/${total} (${((now - started) / 1000).toFixed(1)} s)\n`);
      };
      // The matching index key, for the postcode keys of full postcodes (none is ever printed or logged).
      const keyring = resolveKeyring(config);
      let people;
      try {
        people = readPeopleFile(file, { requireExternalId: action === 'import', keyring });
      } catch (error) {
        if (error instanceof BulkInputError) {
          console.error(`marac people ${action}: ${error.message}${action === 'import' ? '; nothing imported' : ''}`);
          return EXIT.failure;
        }
        throw error;
      }
      const database = await openDatabase(config.database, 'owner');
      try {
        if (action === 'import') {
          const count = await importPeople(database.db, areaId, people, progress('imported'));
          console.log(`Imported ${count} ${count === 1 ? 'person' : 'people'}.`);
        } else {
          await matchPeople(
            database.db,
            areaId,
            people,
            (line) => process.stdout.write(`${JSON.stringify(line)}\n`),
            progress('matched'),
            limit,
          );
        }
        return EXIT.ok;
      } catch (error) {
        if (error instanceof BulkInputError) {
          console.error(`marac people ${action}: ${error.message}`);
          return EXIT.failure;
        }
        throw error;
      } finally {
        await database.close();
      }
    },
  },
  'seed-demo': {
    help: `Usage: marac seed-demo [--seed N]

Applies pending migrations, then seeds the fictional demo data (two MARAC
areas and their agencies) into an empty database. The same seed always gives
the same data. Refused when NODE_ENV=production or the database holds data.

Options:
  --seed N   The seed number (default: MARAC_DEMO_SEED, or 1985).
  --help     Show this help.`,
    options: { seed: { type: 'string' } },
    async run(config, values) {
      if (config.env === 'production') {
        throw new UsageError(
          'seed-demo is refused when NODE_ENV=production: demo data must never enter a live database.',
        );
      }
      const seed = values.seed === undefined ? config.demoSeed : Number(values.seed);
      if (!Number.isInteger(seed) || seed < 0)
        throw new UsageError(`--seed must be a whole number of 0 or more, not "${String(values.seed)}".`);
      // The demo is written as the database owner, like a migration.
      const database = await openDatabase(config.database, 'owner');
      try {
        await migrate(database.db);
        const summary = await seedDemo(database.db, seed, resolveKeyring(config));
        console.log(`Seeded the demo (seed ${seed}):`);
        for (const area of summary.areas) console.log(`  ${area.name}: ${area.agencies} agencies`);
        console.log('  Referrals in every status, made by the demo users');
        console.log(`\n${formatCredentials(summary.credentials)}`);
        return EXIT.ok;
      } finally {
        await database.close();
      }
    },
  },
};

function isAreaId(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

/** marac people reindex: recomputes the matching columns of an area's people, or every area's. */
async function reindex(
  config: Config,
  values: Record<string, string | boolean | undefined>,
  file: string | undefined,
): Promise<number> {
  if (file !== undefined) throw new UsageError(`reindex takes no file, not "${file}"`);
  if (values.limit !== undefined) throw new UsageError('--limit is for match only');
  let areaId: string | null = null;
  if (values['all-areas'] === true) {
    if (values.area !== undefined) throw new UsageError('give --area ID or --all-areas, not both');
  } else if (isAreaId(values.area)) areaId = values.area;
  else throw new UsageError('--area must be the id of a MARAC area (a UUID), or give --all-areas');
  const started = Date.now();
  let lastReport = 0;
  const database = await openDatabase(config.database, 'owner');
  try {
    // Progress on standard error, at most once a second and at the end of each area: ids and counts, never names.
    const result = await reindexPeople(database.db, areaId, (area, { checked, changed, total }) => {
      const now = Date.now();
      if (checked < total && now - lastReport < 1000) return;
      lastReport = now;
      process.stderr.write(
        `reindexed area ${area}: ${checked}/${total} checked, ${changed} changed (${((now - started) / 1000).toFixed(1)} s)\n`,
      );
    });
    const people = `${result.checked} ${result.checked === 1 ? 'person' : 'people'}`;
    const where = areaId === null ? `${result.areas} area${result.areas === 1 ? '' : 's'}` : `area ${areaId}`;
    console.log(`Reindexed ${result.changed} of ${people} in ${where}.`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof BulkInputError) {
      console.error(`marac people reindex: ${error.message}`);
      return EXIT.failure;
    }
    throw error;
  } finally {
    await database.close();
  }
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = commands[name];
  if (!command) {
    console.error(`marac: unknown command "${name}"\n\n${USAGE}`);
    return EXIT.usage;
  }
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: (command.positionals ?? 0) > 0,
    }));
    if (positionals.length > (command.positionals ?? 0)) throw new Error('too many arguments');
  } catch (error) {
    console.error(`marac ${name}: ${(error as Error).message}\n\n${command.help}`);
    return EXIT.usage;
  }
  if (values.help) {
    console.log(command.help);
    return EXIT.ok;
  }
  try {
    return await command.run(loadConfig(env), values, positionals);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`marac ${name}: ${error.message}`);
      return EXIT.config;
    }
    if (error instanceof UsageError) {
      console.error(`marac ${name}: ${error.message}`);
      return EXIT.usage;
    }
    if (error instanceof MigrationError || error instanceof DemoSeedError) {
      console.error(`marac ${name}: ${error.message}`);
      return EXIT.failure;
    }
    console.error(`marac ${name}: ${(error as Error).message ?? String(error)}`);
    return EXIT.failure;
  }
}
