/**
 * The client calls of schedules, task origins and Web Push (see intake-api.ts), spread into the main
 * client by `createClient`.
 */
import type { TaskDto } from './api.js';
import type { CreateScheduleBody, PushSubscriptionBody, ScheduleDto, TaskOriginDto } from './intake-api.js';
import type { Request } from './client-http.js';

export function intakeMethods(request: Request) {
  const schedule = (id: string) => `/api/schedules/${encodeURIComponent(id)}`;
  return {
    listSchedules: () => request<ScheduleDto[]>('GET', '/api/schedules'),
    addSchedule: (body: CreateScheduleBody) => request<ScheduleDto>('POST', '/api/schedules', body),
    /** One schedule with its latest runs. */
    getSchedule: (id: string) => request<ScheduleDto>('GET', schedule(id)),
    pauseSchedule: (id: string) => request<ScheduleDto>('POST', `${schedule(id)}/pause`),
    resumeSchedule: (id: string) => request<ScheduleDto>('POST', `${schedule(id)}/resume`),
    removeSchedule: (id: string) => request<ScheduleDto>('DELETE', schedule(id)),
    /** Runs a schedule once now; the task it made. */
    runSchedule: (id: string) => request<TaskDto>('POST', `${schedule(id)}/run`),
    /** Where a task came from: a GitHub issue, a schedule, or neither. */
    taskOrigin: (id: string) => request<TaskOriginDto>('GET', `/api/tasks/${encodeURIComponent(id)}/origin`),
    /** The server's VAPID public key (base64url), for `pushManager.subscribe`. */
    pushKey: () => request<{ publicKey: string }>('GET', '/api/push/key'),
    subscribePush: (body: PushSubscriptionBody) =>
      request<{ subscribed: true }>('POST', '/api/push/subscriptions', body),
    unsubscribePush: (endpoint: string) =>
      request<{ removed: boolean }>('POST', '/api/push/subscriptions/remove', { endpoint }),
  };
}
