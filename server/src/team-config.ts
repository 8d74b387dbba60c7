/** The team's part of config.json: web sign-in through an OpenID Connect provider (routes/oidc.ts). */
import { z } from 'zod';

/** Users must exist in Gluon first; the provider only says who they are. */
export const oidcSchema = z.object({
  issuer: z.string().url(),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  /** What the sign-in button says. */
  name: z.string().min(1).max(60).default('single sign-on'),
  /** The callback URL registered with the provider; default: this server's /api/auth/oidc/callback. */
  redirectUrl: z.string().url().optional(),
});
