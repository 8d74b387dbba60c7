/**
 * The Attachments tab: the images given to the agent and the files mentioned with `@` (which Claude Code
 * read into its context).
 */
import type { AttachmentDto, TaskDto } from '../../../../shared/api.js';
import { mentionedFiles } from '../../ui/mentions.js';
import { AttachmentImage } from './AttachmentImage.js';

/** The task's images (uploaded with it and sent to the agent with its first prompt). */
export function attachmentsOf(task: TaskDto): { images: AttachmentDto[] } {
  return { images: task.attachments ?? [] };
}

export function AttachmentsTab({ task }: { task: TaskDto }) {
  const { images } = attachmentsOf(task);
  const files = mentionedFiles(task.prompt);
  if (!images.length && !files.length) return <p className="empty">No attachments.</p>;
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
      {files.length ? (
        <>
          <h3>Files in the agent's context</h3>
          <ul className="list">
            {files.map((f) => (
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
