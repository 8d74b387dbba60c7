/**
 * The `intake` part of config.json: how often schedules are looked at, GitHub issue intake (the webhook
 * secret, how often labelled issues are polled) and the subject Web Push names to push services.
 */
import { z } from 'zod';

export const intakeSchema = z.object({
  /** How often due schedules are started (a schedule's resolution is a minute). */
  scheduleTickMs: z.number().int().min(100).default(15_000),
  /** Time zone of the cron lines (IANA name); default: the server's. */
  timezone: z.string().min(1).optional(),
  /** The secret GitHub signs webhook deliveries with (X-Hub-Signature-256); else GLUON_GITHUB_WEBHOOK_SECRET. */
  githubWebhookSecret: z.string().min(8).optional(),
  /** How often labelled issues are polled (0: never, the webhook only). */
  issuePollMs: z
    .number()
    .int()
    .min(0)
    .default(5 * 60_000),
  /** How often open pull requests of projects with `prAutofix` are polled for comments and failed checks (0: never). */
  prAutofixPollMs: z.number().int().min(0).default(60_000),
  /** The contact push services may use (`mailto:` or https URL), sent with every push. */
  pushSubject: z.string().min(1).default('mailto:gluon@localhost'),
  /** Accept plain-http push endpoints on loopback (a test's push service); real ones are https. */
  pushAllowLoopbackHttp: z.boolean().default(false),
});
