import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { KeyringError } from './platform/crypto/errors.ts';
import { keyringFromSettings, type Keyring } from './platform/crypto/keyring.ts';
import type { DatabaseTarget } from './platform/db/database.ts';

/**
 * Every setting Open MARAC reads, in one place. Each comes from an environment
 * variable, or from the JSON file named by MARAC_CONFIG_FILE (the environment
 * wins). The README's configuration table mirrors this list.
 */
const settings = z
  .object({
    NODE_ENV: z.enum(['development', 'production']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// connection URL')
      .optional(),
    DATABASE_OWNER_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// connection URL')
      .optional(),
    MARAC_DATA_DIR: z.string().min(1).default('./data/pglite'),
    MARAC_PROTECTIVE_MARKING: z.string().min(1).max(60).default('OFFICIAL-SENSITIVE'),
    MARAC_PHASE: z.enum(['alpha', 'beta']).default('alpha'),
    MARAC_COOKIE_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    MARAC_TRUST_PROXY: z.enum(['true', 'false']).default('false'),
    MARAC_DEMO_SEED: z.coerce
      .number()
      .int()
      .min(0)
      .max(2 ** 31)
      .default(1985),
    MARAC_KEYS: z.string().min(1).optional(),
    MARAC_KEY_FILE: z.string().min(1).optional(),
    MARAC_INDEX_KEY: z.string().min(1).optional(),
    MARAC_IDLE_TIMEOUT_MINUTES: z.coerce.number().int().min(2).max(30).default(15),
    MARAC_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .strict();

type Settings = z.infer<typeof settings>;

export type Config = {
  env: Settings['NODE_ENV'];
  host: string;
  port: number;
  database: DatabaseTarget;
  /** Folder for the embedded database and, outside production, the development key file. */
  dataDir: string;
  /**
   * Key-encryption keys from MARAC_KEYS or MARAC_KEY_FILE, with the matching index key (MARAC_INDEX_KEY or the key
   * file's "index"); null outside production means "use the development key file".
   */
  keyring: Keyring | null;
  protectiveMarking: string;
  phase: Settings['MARAC_PHASE'];
  cookieSecret: string;
  trustProxy: boolean;
  demoSeed: number;
  idleTimeoutMinutes: number;
  /** Where users reach the service, for links in emails. */
  publicUrl: string;
  logLevel: Settings['LOG_LEVEL'];
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const names = Object.keys(settings.shape) as (keyof Settings)[];

/** Reads configuration from the environment (and optional file); throws ConfigError naming each bad setting. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const fromFile = env.MARAC_CONFIG_FILE ? readConfigFile(env.MARAC_CONFIG_FILE) : {};
  const raw: Record<string, unknown> = { ...fromFile };
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[name] = value;
  }
  const parsed = settings.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) =>
      issue.code === 'unrecognized_keys'
        ? `${issue.keys.join(', ')}: not a setting Open MARAC knows (in ${env.MARAC_CONFIG_FILE ?? 'the configuration file'})`
        : `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const s = parsed.data;
  const production = s.NODE_ENV === 'production';

  if (production && !s.DATABASE_URL) {
    throw new ConfigError(
      'DATABASE_URL: required in production. Without it Open MARAC would use the embedded PGlite database, ' +
        'which runs without fsync and is for demonstrations and development only, not live case data. ' +
        'Set DATABASE_URL to a PostgreSQL 15+ server, e.g. postgres://marac_app@db.internal:5432/marac.',
    );
  }
  if (s.DATABASE_OWNER_URL && !s.DATABASE_URL) {
    throw new ConfigError(
      'DATABASE_OWNER_URL: only used with DATABASE_URL (set both, or neither for the embedded database).',
    );
  }
  if (production && !s.MARAC_COOKIE_SECRET) {
    throw new ConfigError(
      'MARAC_COOKIE_SECRET: required in production (at least 32 random characters, e.g. `openssl rand -base64 48`).',
    );
  }
  if (production && !s.MARAC_PUBLIC_URL?.startsWith('https://')) {
    throw new ConfigError(
      'MARAC_PUBLIC_URL: required in production, as the https:// address users reach the service at.',
    );
  }

  let keyring: Keyring | null;
  try {
    keyring = keyringFromSettings({
      MARAC_KEYS: s.MARAC_KEYS,
      MARAC_KEY_FILE: s.MARAC_KEY_FILE,
      MARAC_INDEX_KEY: s.MARAC_INDEX_KEY,
    });
  } catch (error) {
    if (error instanceof KeyringError) throw new ConfigError(error.message);
    throw error;
  }
  if (production && !keyring) {
    throw new ConfigError(
      'MARAC_KEYS or MARAC_KEY_FILE: required in production, holding the keys that protect encrypted fields ' +
        '(make a key file with `npx marac keys generate`). Keys never live in the database.',
    );
  }
  if (production && !keyring?.hasIndexKey) {
    throw new ConfigError(
      'MARAC_INDEX_KEY: required in production (or "index" in the MARAC_KEY_FILE key file): the matching index ' +
        'key, base64 of 32 random bytes (e.g. `openssl rand -base64 32`), which keys the postcode hashes person ' +
        'matching compares. Keep it stable: changing it means every stored postcode key must be recomputed.',
    );
  }

  return {
    env: s.NODE_ENV,
    host: s.HOST,
    port: s.PORT,
    database: s.DATABASE_URL
      ? { engine: 'postgres', url: s.DATABASE_URL, ownerUrl: s.DATABASE_OWNER_URL ?? s.DATABASE_URL }
      : { engine: 'pglite', dataDir: s.MARAC_DATA_DIR },
    dataDir: s.MARAC_DATA_DIR,
    keyring,
    protectiveMarking: s.MARAC_PROTECTIVE_MARKING,
    phase: s.MARAC_PHASE,
    // Outside production a fresh random secret per process is safe: it only means
    // signed cookies do not survive a restart.
    cookieSecret: s.MARAC_COOKIE_SECRET ?? randomBytes(32).toString('base64url'),
    trustProxy: s.MARAC_TRUST_PROXY === 'true',
    demoSeed: s.MARAC_DEMO_SEED,
    idleTimeoutMinutes: s.MARAC_IDLE_TIMEOUT_MINUTES,
    publicUrl: (s.MARAC_PUBLIC_URL ?? `http://localhost:${s.PORT}`).replace(/\/$/, ''),
    logLevel: s.LOG_LEVEL,
  };
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`MARAC_CONFIG_FILE: cannot read ${path} (${(error as NodeJS.ErrnoException).code})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ConfigError(`MARAC_CONFIG_FILE: ${path} is not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`MARAC_CONFIG_FILE: ${path} must hold a JSON object of settings`);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : String(v)]));
}
