/**
 * An uploaded image shown from a blob URL: image requests cannot carry the bearer token, so the bytes are
 * fetched with it and the URL is revoked when the image goes away.
 */
import { useEffect, useState } from 'react';
import { useGluon } from '../../hooks/useGluon.js';

export function AttachmentImage({ id, name, className }: { id: string; name: string; className?: string }) {
  const { api } = useGluon();
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let revoked = false;
    let made: string | null = null;
    api.attachment(id).then(
      (blob) => {
        if (revoked) return;
        made = URL.createObjectURL(blob);
        setUrl(made);
      },
      () => setFailed(true),
    );
    return () => {
      revoked = true;
      if (made) URL.revokeObjectURL(made);
    };
  }, [api, id]);
  if (failed) return <span className="hint">{name} (unavailable)</span>;
  return url ? (
    <img className={className ?? 'attachment-img'} src={url} alt={name} />
  ) : (
    <span className="hint">{name}…</span>
  );
}
