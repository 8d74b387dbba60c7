/**
 * The new task's images: each file added (picked, dropped or pasted) is checked, shown at once from the
 * local file and uploaded; a refused file is a toast, a failed upload is shown on its thumbnail.
 * A thumbnail's object URL lives as long as its image is listed: freed when it is removed or the dialog
 * closes, never when another image of the list changes (its thumbnail may not have loaded yet).
 */
import { useEffect, useRef, useState } from 'react';
import { useGluon } from '../../hooks/useGluon.js';
import { rejectReason, type PendingAttachment } from './AttachmentPicker.js';

let counter = 0;

export function useAttachments() {
  const { api, toast } = useGluon();
  const [items, setItems] = useState<PendingAttachment[]>([]);
  const listed = useRef(items);
  listed.current = items;
  useEffect(() => () => listed.current.forEach((a) => URL.revokeObjectURL(a.preview)), []);
  const update = (key: string, change: Partial<PendingAttachment>) =>
    setItems((list) => list.map((a) => (a.key === key ? { ...a, ...change } : a)));

  const add = (files: File[]) => {
    for (const file of files) {
      const reason = rejectReason(file);
      if (reason) {
        toast(reason, 'error');
        continue;
      }
      const item: PendingAttachment = {
        key: `a${++counter}`,
        file,
        preview: URL.createObjectURL(file),
        uploaded: null,
        error: null,
      };
      setItems((list) => [...list, item]);
      api.uploadAttachment(file, file.name).then(
        (uploaded) => update(item.key, { uploaded }),
        (err: Error) => update(item.key, { error: err.message }),
      );
    }
  };

  return {
    items,
    add,
    remove(key: string) {
      const gone = listed.current.find((a) => a.key === key);
      if (gone) URL.revokeObjectURL(gone.preview);
      setItems((list) => list.filter((a) => a.key !== key));
    },
    /** Whether an image is still uploading. */
    uploading: items.some((a) => !a.uploaded && !a.error),
    /** The ids of the images uploaded. */
    ids: items.flatMap((a) => (a.uploaded ? [a.uploaded.id] : [])),
  };
}
