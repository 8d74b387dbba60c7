/**
 * The Attachments tab: the images given to the agent and the files mentioned with `@` (which Claude Code
 * read into its context).
 */
import type { TaskDto } from '../../../../shared/api.js';
import type { AttachmentDto } from '../../api/http.js';
import { mentionedFiles } from '../task-dialog/autocomplete.js';
import { AttachmentImage } from './AttachmentImage.js';

/** A task as newer servers send it, with its attachments (ids of uploads, or paths given to the CLI). */
export type TaskWithAttachments = TaskDto & { attachments?: (AttachmentDto | string)[] };

export function attachmentsOf(task: TaskDto): { images: AttachmentDto[]; paths: string[] } {
  const list = (task as TaskWithAttachments).attachments ?? [];
  return {
    images: list.filter((a): a is AttachmentDto => typeof a === 'object' && a !== null),
    paths: list.filter((a): a is string => typeof a === 'string'),
  };
}

export function AttachmentsTab({ task }: { task: TaskDto }) {
  const { images, paths } = attachmentsOf(task);
  const files = mentionedFiles(task.prompt);
  if (!images.length && !paths.length && !files.length) return <p className="empty">No attachments.</p>;
  return (
    <div className="attachments-tab" data-testid="attachments-tab">
      {images.length ? (
        <ul className="gallery">
          {images.map((a) => (
            <li key={a.id}>
              <AttachmentImage id={a.id} name={a.name} />
              <span className="hint">
                {a.name} · {Math.ceil(a.size / 1024)} KB
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {paths.length || files.length ? (
        <>
          <h3>Files in the agent's context</h3>
          <ul className="list">
            {[...files, ...paths].map((f) => (
              <li key={f}>
                <code>{f}</code>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
