/**
 * Image attachments for a new task: picked, dropped or pasted images are uploaded at once and shown as
 * thumbnails (from the local file, so nothing is fetched back); the task gets their ids.
 */
import { useRef } from 'react';
import type { AttachmentDto } from '../../../../shared/api.js';

export interface PendingAttachment {
  key: string;
  file: File;
  preview: string;
  uploaded: AttachmentDto | null;
  error: string | null;
}

export const ACCEPTED_IMAGES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

/** Why a file cannot be attached, or null when it can. */
export function rejectReason(file: { type: string; size: number; name: string }): string | null {
  if (!ACCEPTED_IMAGES.includes(file.type))
    return `${file.name}: only PNG, JPEG, GIF and WebP images can be attached`;
  if (file.size > MAX_IMAGE_BYTES) return `${file.name}: larger than 10 MB`;
  return null;
}

export function AttachmentPicker(props: {
  items: PendingAttachment[];
  onAdd: (files: File[]) => void;
  onRemove: (key: string) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const { items } = props;
  return (
    <div className="attachments">
      <button type="button" className="btn" onClick={() => input.current?.click()}>
        Attach images
      </button>
      <input
        ref={input}
        type="file"
        accept={ACCEPTED_IMAGES.join(',')}
        multiple
        hidden
        aria-label="Image attachments"
        onChange={(e) => {
          props.onAdd([...(e.target.files ?? [])]);
          e.target.value = '';
        }}
      />
      <span className="hint">or drop / paste images</span>
      {items.length ? (
        <ul className="thumbs">
          {items.map((a) => (
            <li
              key={a.key}
              className={a.error ? 'thumb thumb-error' : 'thumb'}
              title={a.error ?? a.file.name}
            >
              <img src={a.preview} alt={a.file.name} />
              <span className="thumb-state">{a.error ? 'failed' : a.uploaded ? '' : '…'}</span>
              <button
                type="button"
                aria-label={`Remove ${a.file.name}`}
                onClick={() => props.onRemove(a.key)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
