import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMON_ERROR_CODES, ServiceError, type MoodboxError } from '../../kernel/errors.js';
import { CameraError, ModelError, VISION_ERROR_CODES } from '../../vision/errors.js';
import { DatasetError } from '../../vision/fer-csv.js';
import { PLAYER_ERROR_CODES, PlayerError } from '../../player/errors.js';
import { SPOTIFY_ERROR_CODES, SpotifyError } from '../../player/spotify/spotify-error.js';
import { CONFIG_ERROR_CODES, ConfigError } from '../config/config-error.js';
import { STORE_ERROR_CODES, StoreError } from '../store/store-error.js';
import { AUTH_ERROR_CODES, AuthError } from '../people/auth-error.js';
import { RFID_ERROR_CODES } from '../rfid/rfid-error-codes.js';
import { GUEST_ERROR_CODES } from '../guests/guest-error-codes.js';
import { HTTP_ERROR_CODES } from './http-error-codes.js';
import { ERROR_CODES, isErrorCode } from './error-codes.js';

/** Each domain's list, read from the domain itself rather than from the assembled list. */
const DOMAINS: Record<string, Readonly<Record<string, string>>> = {
  kernel: COMMON_ERROR_CODES,
  vision: VISION_ERROR_CODES,
  player: PLAYER_ERROR_CODES,
  spotify: SPOTIFY_ERROR_CODES,
  config: CONFIG_ERROR_CODES,
  store: STORE_ERROR_CODES,
  auth: AUTH_ERROR_CODES,
  rfid: RFID_ERROR_CODES,
  guests: GUEST_ERROR_CODES,
  http: HTTP_ERROR_CODES,
};

const SRC = join(import.meta.dirname, '..', '..');

describe('error codes', () => {
  it('declares each code in one domain only, as MB_ERR_ and capital words with a one-line meaning', () => {
    const owners = new Map<string, string[]>();
    for (const [domain, codes] of Object.entries(DOMAINS)) {
      expect(Object.keys(codes).length, domain).toBeGreaterThan(0);
      for (const [code, meaning] of Object.entries(codes)) {
        expect(code).toMatch(/^MB_ERR_[A-Z]+(_[A-Z]+)*$/);
        expect(meaning.trim(), code).not.toBe('');
        expect(meaning, code).not.toContain('\n');
        owners.set(code, [...(owners.get(code) ?? []), domain]);
      }
    }
    expect([...owners].filter(([, domains]) => domains.length > 1)).toEqual([]);
  });

  it('assembles exactly the union of the domains’ lists', () => {
    const union = Object.fromEntries(Object.values(DOMAINS).flatMap((codes) => Object.entries(codes)));
    expect(ERROR_CODES).toEqual(union);
    expect(Object.keys(ERROR_CODES)).toHaveLength(Object.keys(union).length);
  });

  it('declares every code the daemon, vision and the player name in their sources', () => {
    // The base `MoodboxError` takes any `MB_ERR_*` code, so a misspelt one would compile.
    const named = new Set<string>();
    for (const part of ['kernel', 'daemon', 'vision', 'player']) {
      const files = readdirSync(join(SRC, part), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
      for (const file of files) {
        for (const [code] of readFileSync(join(SRC, part, file), 'utf8').matchAll(/MB_ERR_[A-Z0-9_]+/g)) {
          // `MB_ERR_CAMERA_*` and `MB_ERR_<AREA>` name a family, not a code.
          if (!code.endsWith('_')) named.add(code);
        }
      }
    }
    expect([...named].filter((code) => !isErrorCode(code as `MB_ERR_${string}`)).sort()).toEqual([]);
  });

  it('types each domain’s error to its own codes', () => {
    // tsc checks the expectations below: a code of another domain does not compile.
    const errors: MoodboxError[] = [
      // @ts-expect-error a store code is not the model's
      new ModelError('MB_ERR_STORE_WRITE', 'model'),
      // @ts-expect-error a model code is not the camera's
      new CameraError('MB_ERR_MODEL_LOAD', 'camera'),
      // @ts-expect-error a camera code is not the data set's
      new DatasetError('MB_ERR_CAMERA_OPEN', 'data set'),
      // @ts-expect-error a Spotify code is not the player's
      new PlayerError('MB_ERR_SPOTIFY_API', 'player'),
      // @ts-expect-error a player code is not Spotify's
      new SpotifyError('MB_ERR_PLAYER_START', 'spotify'),
      // @ts-expect-error a store code is not the configuration's
      new ConfigError('MB_ERR_STORE_OPEN', ['config']),
      // @ts-expect-error an auth code is not the store's
      new StoreError('MB_ERR_AUTH_FAILED', 'store'),
      // @ts-expect-error a guest code is not sign-in's
      new AuthError('MB_ERR_GUEST_FULL', 'auth'),
      // @ts-expect-error only start-up failures are a service's
      new ServiceError('MB_ERR_INTERNAL', 'service'),
    ];
    expect(errors.map((err) => err.name)).toEqual([
      'ModelError',
      'CameraError',
      'DatasetError',
      'PlayerError',
      'SpotifyError',
      'ConfigError',
      'StoreError',
      'AuthError',
      'ServiceError',
    ]);
  });
});
