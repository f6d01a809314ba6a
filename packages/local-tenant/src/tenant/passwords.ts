// Password hashes: scrypt on libuv's thread pool (async), so hashing never blocks the event loop that
// serves every other request.
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

// A local stand-in holds throwaway test passwords: a light cost (about 2 ms a hash instead of 40 ms)
// keeps the tenant from being the bottleneck of a deploy with many seed users. The parameters are
// stored with each hash, so hashes made with other costs still verify.
const SCRYPT = { N: 1024, r: 8, p: 1 };

function derive(password: string, salt: Buffer, length: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, length, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** `scrypt$N$r$p$salt$hash`, never returned by any route. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  if (!stored) return false;
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt') return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(actual, expected);
}
