/**
 * The client calls of tasks: list, create (with image attachments), read, events and runs, and what moves
 * a task on (move, cancel, resume, answer, approve, deny, stop a loop, wait for more tasks), spread into
 * `createClient`.
 */
import type { AttachmentDto, CreateTaskBody, EventPage, RunDto, TaskDto, TaskStatus } from './api.js';
import { query, type Request, type Send } from './client-http.js';

export function taskMethods(send: Send, request: Request) {
  const task = (id: string) => `/api/tasks/${encodeURIComponent(id)}`;
  return {
    listTasks: (filter: { status?: TaskStatus; project?: string } = {}) =>
      request<TaskDto[]>('GET', `/api/tasks${query(filter)}`),
    createTask: (body: CreateTaskBody) => request<TaskDto>('POST', '/api/tasks', body),
    /** Uploads an image for a task's `attachments` (PNG, JPEG, GIF or WebP, up to 10 MB). */
    uploadAttachment: (image: Blob, name: string) =>
      request<AttachmentDto>('POST', `/api/attachments${query({ name })}`, undefined, image),
    /** An attachment's bytes (a browser cannot send the token with an `<img>`, so it shows a blob URL). */
    attachment: async (id: string) =>
      (await send('GET', `/api/attachments/${encodeURIComponent(id)}`)).blob(),
    getTask: (id: string) => request<TaskDto>('GET', task(id)),
    events: (id: string, page: { after?: number; limit?: number } = {}) =>
      request<EventPage>('GET', `${task(id)}/events${query(page)}`),
    runs: (id: string) => request<RunDto[]>('GET', `${task(id)}/runs`),
    move: (id: string, status: TaskStatus) => request<TaskDto>('POST', `${task(id)}/move`, { status }),
    cancel: (id: string) => request<TaskDto>('POST', `${task(id)}/cancel`),
    resume: (id: string, text: string) => request<TaskDto>('POST', `${task(id)}/resume`, { text }),
    answer: (id: string, text: string) => request<TaskDto>('POST', `${task(id)}/answer`, { text }),
    approve: (id: string) => request<TaskDto>('POST', `${task(id)}/approve`),
    deny: (id: string, reason?: string) =>
      request<TaskDto>('POST', `${task(id)}/deny`, reason === undefined ? {} : { reason }),
    stopLoop: (id: string) => request<TaskDto>('POST', `${task(id)}/stop-loop`),
    /** Makes a queued task wait for more tasks (refused when it would close a cycle). */
    addDependencies: (id: string, after: string[]) =>
      request<TaskDto>('POST', `${task(id)}/dependencies`, { after }),
  };
}
