/**
 * The contract of work that arrives by itself and of push notifications: schedules (a cron line and a
 * prompt), where a task came from (a GitHub issue, a schedule), and Web Push subscriptions.
 */
import { z } from 'zod';
import { AGENT_NAMES, PROFILES } from './api.js';

export const createScheduleBody = z.strictObject({
  project: z.string().min(1).max(100),
  /** Five fields: minute hour day-of-month month day-of-week ("0 7 * * 1-5"), in the server's time zone. */
  cron: z.string().trim().min(9).max(100),
  prompt: z.string().trim().min(1).max(100_000),
  title: z.string().trim().min(1).max(200).optional(),
  profile: z.enum(PROFILES).optional(),
  agent: z.enum(AGENT_NAMES).optional(),
  maxCostUsd: z.number().positive().max(100_000).optional(),
});
export type CreateScheduleBody = z.input<typeof createScheduleBody>;

export const scheduleIdParam = z.object({
  id: z.string().regex(/^[a-z0-9]{4,32}$/, 'a schedule id: 4 to 32 of a-z0-9'),
});

export interface ScheduleRunDto {
  taskId: string;
  title: string;
  /** The task's status now (null when the task is gone). */
  status: string | null;
  dueAt: string;
  outcome: 'succeeded' | 'failed' | null;
}

export interface ScheduleDto {
  id: string;
  project: string;
  cron: string;
  prompt: string;
  title: string | null;
  profile: string | null;
  agent: string | null;
  maxCostUsd: number | null;
  status: 'active' | 'paused' | 'removed';
  /** Failed runs in a row (three pause the schedule). */
  failures: number;
  pausedReason: string | null;
  nextRunAt: string | null;
  lastRunAt: string | null;
  createdAt: string;
  /** The latest runs, newest first (only when one schedule is asked for). */
  runs?: ScheduleRunDto[];
}

/** Where a task came from, when it did not come from a person. */
export interface TaskOriginDto {
  issue: { repo: string; number: number; url: string } | null;
  schedule: { id: string; cron: string; status: string; dueAt: string } | null;
}

/** A browser's push subscription, as `PushSubscription.toJSON()` gives it. */
export const pushSubscriptionBody = z.object({
  endpoint: z.string().url().max(2000),
  expirationTime: z.number().nullable().optional(),
  keys: z.strictObject({
    p256dh: z.string().regex(/^[A-Za-z0-9_-]{80,100}={0,2}$/, 'a base64url P-256 public key'),
    auth: z.string().regex(/^[A-Za-z0-9_-]{16,24}={0,2}$/, 'a base64url auth secret'),
  }),
});
export type PushSubscriptionBody = z.input<typeof pushSubscriptionBody>;

export const pushUnsubscribeBody = z.strictObject({ endpoint: z.string().url().max(2000) });

/** What a push action (Approve / Deny on a notification) sends, signed by the server for that request. */
export const pushActionBody = z.strictObject({
  taskId: z.string().regex(/^[a-z0-9]{4,32}$/),
  requestId: z.string().min(1).max(100),
  action: z.enum(['approve', 'deny']),
  signature: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a signature'),
});
export type PushActionBody = z.input<typeof pushActionBody>;

/** The JSON inside every push message (decrypted by the service worker). */
export interface PushPayload {
  title: string;
  body: string;
  kind: string;
  taskId: string;
  url: string;
  /** Present when the task waits for an approval: what Approve / Deny send. */
  approval?: { requestId: string; approve: string; deny: string };
}
