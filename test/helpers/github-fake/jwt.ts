// GitHub App authentication: the app signs a short JWT (RS256, iss = app id) with its private key
// and trades it for an installation token. The fake verifies the signature with the public key.
import { verify, type KeyObject } from 'node:crypto';

export function verifyAppJwt(token: string, publicKey: KeyObject, appId: number): string | null {
  const parts = token.split('.');
  if (parts.length !== 3) return 'not a JWT';
  const [header, payload, signature] = parts as [string, string, string];
  const head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: string };
  if (head.alg !== 'RS256') return `JWT alg ${String(head.alg)} is not RS256`;
  const ok = verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'));
  if (!ok) return 'JWT signature does not verify';
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: unknown; exp?: number; iat?: number };
  if (String(claims.iss) !== String(appId)) return `JWT iss ${String(claims.iss)} is not the app id`;
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== 'number' || claims.exp < now) return 'JWT expired';
  if (typeof claims.iat !== 'number' || claims.exp - claims.iat > 600) return 'JWT lifetime over 10 minutes';
  return null;
}
