import { describe, expect, it } from 'vitest';
import { checkSecretPolicy, DECOY_HASH, hashSecret, verifySecret } from './pin-hash.js';

describe('PIN hashing', () => {
  it('verifies the right PIN and rejects a wrong one; the hash holds no PIN', async () => {
    const hash = await hashSecret('4711');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(hash).not.toContain('4711');
    expect(await verifySecret('4711', hash)).toBe(true);
    expect(await verifySecret('4712', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashSecret('4711')).not.toBe(await hashSecret('4711'));
  });

  it('never matches a malformed or decoy hash', async () => {
    expect(await verifySecret('4711', 'plain:4711')).toBe(false);
    expect(await verifySecret('', DECOY_HASH)).toBe(false);
  });

  it('asks members for 4–8 digits and admins for a passphrase', () => {
    expect(checkSecretPolicy('member', '123')).toMatch(/4 to 8 digits/);
    expect(checkSecretPolicy('member', '12a4')).toMatch(/4 to 8 digits/);
    expect(checkSecretPolicy('member', '12345678')).toBeUndefined();
    expect(checkSecretPolicy('admin', '12345678')).toMatch(/at least 10/);
    expect(checkSecretPolicy('admin', 'correct horse battery')).toBeUndefined();
  });
});
