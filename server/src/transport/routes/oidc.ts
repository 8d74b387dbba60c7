/**
 * Web sign-in through an OpenID Connect provider (`openid-client`): `/api/auth/oidc/start` redirects to the
 * provider with PKCE, a state and a nonce; `/api/auth/oidc/callback` exchanges the code, checks the signed
 * id_token, finds the Gluon user (people.ts: bound subject, else a matching `preferred_username`), opens a
 * session and redirects to the dashboard. The pending sign-in lives in the database for 10 minutes (so any
 * server may take the callback; services/team/oidc-sign-ins.ts), bound to the browser by a SameSite=Lax
 * cookie holding its state (the provider's redirect is cross-site). `openid-client` loads with the first
 * sign-in.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type * as OidcClient from 'openid-client';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { AppError, notFound } from '../../errors.js';
import type { Services } from '../../services/index.js';
import { needs, sameToken } from '../access.js';
import { cookieOf } from '../identity.js';
import { parse } from '../validate.js';
import { signIn } from './auth.js';

export type OidcSettings = NonNullable<Config['oidc']>;

const STATE_COOKIE = 'gluon_oidc';
const callbackQuery = z
  .object({ code: z.string().min(1).max(2000), state: z.string().min(1).max(200) })
  .loose();

export function registerOidcRoutes(
  app: FastifyInstance,
  s: Services,
  settings: OidcSettings | undefined,
): void {
  let discovered: Promise<{ oidc: typeof OidcClient; config: OidcClient.Configuration }> | null = null;
  const provider = () => {
    if (!settings) throw notFound('OpenID Connect sign-in (not configured)');
    const insecure = new URL(settings.issuer).protocol === 'http:';
    discovered ??= import('openid-client')
      .then(async (oidc) => {
        const config = await oidc.discovery(
          new URL(settings.issuer),
          settings.clientId,
          settings.clientSecret,
          undefined,
          {
            // The id_token's signature is checked against the provider's JWKS even though it came from the
            // token endpoint: a provider reached over plain HTTP (loopback tests) proves nothing by TLS.
            execute: insecure
              ? [oidc.allowInsecureRequests, oidc.enableNonRepudiationChecks]
              : [oidc.enableNonRepudiationChecks],
          },
        );
        return { oidc, config };
      })
      .catch((err: unknown) => {
        discovered = null;
        throw err;
      });
    return discovered;
  };
  const redirectOf = (req: FastifyRequest) =>
    settings?.redirectUrl ?? `${req.protocol}://${req.headers.host ?? 'localhost'}/api/auth/oidc/callback`;

  app.get('/api/auth/oidc/start', needs('public'), async (req, reply) => {
    const { oidc, config } = await provider();
    const state = oidc.randomState();
    const entry = {
      verifier: oidc.randomPKCECodeVerifier(),
      nonce: oidc.randomNonce(),
      redirectUri: redirectOf(req),
    };
    await s.team.oidc.begin(state, entry);
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: entry.redirectUri,
      scope: 'openid profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(entry.verifier),
      code_challenge_method: 'S256',
      state,
      nonce: entry.nonce,
    });
    reply.header(
      'set-cookie',
      `${STATE_COOKIE}=${state}; Path=/api/auth/oidc; HttpOnly; SameSite=Lax; Max-Age=600`,
    );
    return reply.redirect(url.toString(), 302);
  });

  app.get('/api/auth/oidc/callback', needs('public', 'auth.oidc'), async (req, reply) => {
    const { oidc, config } = await provider();
    const { state } = parse(callbackQuery, req.query, 'callback');
    const bound = cookieOf(req, STATE_COOKIE);
    // An unbound callback uses nothing up: the browser that started the sign-in may still finish it.
    const entry = bound && sameToken(bound, state) ? await s.team.oidc.finish(state) : undefined;
    if (!entry)
      throw new AppError(400, 'invalid_state', 'this sign-in expired or was not started here; start again');
    let claims: OidcClient.IDToken | undefined;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, new URL(req.url, entry.redirectUri), {
        pkceCodeVerifier: entry.verifier,
        expectedState: state,
        expectedNonce: entry.nonce,
      });
      claims = tokens.claims();
    } catch (err) {
      throw new AppError(
        401,
        'oidc_failed',
        `the provider's answer did not check out: ${(err as Error).message}`,
      );
    }
    if (!claims) throw new AppError(401, 'oidc_failed', 'the provider sent no id_token');
    const name = typeof claims.preferred_username === 'string' ? claims.preferred_username : undefined;
    const session = await s.team.people.loginWithOidc(claims.sub, name);
    signIn(req, reply, session);
    return reply.redirect('/', 302);
  });
}
