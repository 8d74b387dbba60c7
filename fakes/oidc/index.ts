/**
 * A loopback fake of an OpenID Connect provider, speaking real HTTP: discovery, a JWKS with an RSA key,
 * an authorization endpoint that signs in `nextUser` at once (no login page) and redirects back with a
 * code, and a token endpoint that checks the client secret and the PKCE verifier and returns an id_token
 * signed RS256 with node:crypto. Records every request. Not a product module.
 */
import { createHash, createSign, generateKeyPairSync, randomBytes, type JsonWebKey } from 'node:crypto';
import type http from 'node:http';
import { listen, readBody, sendJson } from '../shared/http.js';

export interface FakeOidcUser {
  sub: string;
  preferred_username?: string;
}

export interface FakeOidc {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Who the next authorization signs in. */
  nextUser: FakeOidcUser;
  /** Method and path of every request. */
  requests: string[];
  close(): Promise<void>;
}

interface Grant {
  user: FakeOidcUser;
  nonce: string | null;
  challenge: string | null;
  redirectUri: string;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

function send(res: http.ServerResponse, status: number, body: unknown) {
  sendJson(res, status, body, { 'cache-control': 'no-store' });
}

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams((await readBody(req)).toString('utf8'));
}

type Route = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => void | Promise<void>;

/** The discovery document of a provider at `issuer`. */
const discovery = (issuer: string) => ({
  issuer,
  authorization_endpoint: `${issuer}/authorize`,
  token_endpoint: `${issuer}/token`,
  jwks_uri: `${issuer}/jwks`,
  response_types_supported: ['code'],
  subject_types_supported: ['public'],
  id_token_signing_alg_values_supported: ['RS256'],
  code_challenge_methods_supported: ['S256'],
  token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
});

export async function startFakeOidc(
  opts: { clientId?: string; clientSecret?: string } = {},
): Promise<FakeOidc> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(8).toString('hex');
  const jwk: JsonWebKey = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  const grants = new Map<string, Grant>();
  const fake: FakeOidc = {
    issuer: '',
    clientId: opts.clientId ?? 'gluon-test',
    clientSecret: opts.clientSecret ?? randomBytes(16).toString('hex'),
    nextUser: { sub: 'user-1' },
    requests: [],
    close: () => server.close(),
  };
  const sign = (claims: Record<string, unknown>) => {
    const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
    const body = b64url(JSON.stringify(claims));
    const signature = createSign('RSA-SHA256').update(`${head}.${body}`).sign(privateKey);
    return `${head}.${body}.${b64url(signature)}`;
  };
  const clientOk = (req: http.IncomingMessage, form: URLSearchParams) => {
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    const [id, secret] = basic
      ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':').map(decodeURIComponent)
      : [form.get('client_id'), form.get('client_secret')];
    return id === fake.clientId && secret === fake.clientSecret;
  };

  /** Signs in `nextUser` at once and redirects back with a code. */
  const authorize = (url: URL, res: http.ServerResponse) => {
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri');
    if (q.get('client_id') !== fake.clientId || !redirectUri || q.get('response_type') !== 'code')
      return send(res, 400, { error: 'invalid_request' });
    const code = randomBytes(16).toString('hex');
    grants.set(code, {
      user: fake.nextUser,
      nonce: q.get('nonce'),
      challenge: q.get('code_challenge'),
      redirectUri,
    });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    if (q.get('state')) back.searchParams.set('state', q.get('state')!);
    back.searchParams.set('iss', fake.issuer);
    res.writeHead(302, { location: back.toString() });
    res.end();
  };
  /** Trades a code (once) for an id_token, after checking the client, the redirect and the PKCE verifier. */
  const token = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.method !== 'POST') return send(res, 404, { error: 'not_found' });
    const form = await readForm(req);
    if (!clientOk(req, form)) return send(res, 401, { error: 'invalid_client' });
    const grant = grants.get(form.get('code') ?? '');
    grants.delete(form.get('code') ?? '');
    const verifier = form.get('code_verifier') ?? '';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (
      !grant ||
      grant.redirectUri !== form.get('redirect_uri') ||
      (grant.challenge && grant.challenge !== challenge)
    )
      return send(res, 400, { error: 'invalid_grant' });
    const now = Math.floor(Date.now() / 1000);
    const idToken = sign({
      iss: fake.issuer,
      aud: fake.clientId,
      iat: now,
      exp: now + 300,
      ...(grant.nonce ? { nonce: grant.nonce } : {}),
      ...grant.user,
    });
    send(res, 200, {
      access_token: randomBytes(16).toString('hex'),
      token_type: 'Bearer',
      expires_in: 300,
      id_token: idToken,
    });
  };
  const routes = new Map<string, Route>([
    ['/.well-known/openid-configuration', (_req, res) => send(res, 200, discovery(fake.issuer))],
    ['/jwks', (_req, res) => send(res, 200, { keys: [jwk] })],
    ['/authorize', (_req, res, url) => authorize(url, res)],
    ['/token', token],
  ]);

  const server = await listen(
    (req, res) => {
      const url = new URL(req.url ?? '/', fake.issuer);
      fake.requests.push(`${req.method} ${url.pathname}`);
      const route = routes.get(url.pathname) ?? ((_req, res) => send(res, 404, { error: 'not_found' }));
      return route(req, res, url);
    },
    { onFault: (res) => send(res, 500, { error: 'server_error' }) },
  );
  fake.issuer = server.url;
  return fake;
}
